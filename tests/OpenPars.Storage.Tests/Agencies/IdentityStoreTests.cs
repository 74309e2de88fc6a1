using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using OpenPars.Storage.Agencies;
using OpenPars.Testing;
using OpenPars.App.Hosting;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Agencies;

/// <summary>Agencies, users and bearer tokens through the real store, on every provider.</summary>
public sealed class IdentityStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task Agencies_and_users_are_added_with_roles_their_agency_may_hold(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var identity = db.Identity();

        var police = await identity.AddAgencyAsync("PPD", "Philadelphia Police Department", "police", Ct);
        await identity.AddAgencyAsync("DAO", "District Attorney's Office", "district-attorney", Ct);
        var user = await identity.AddUserAsync("PPD", "officer.kowalski", [Roles.BookingOfficer, Roles.PrivacyOfficer], Ct);

        police.Kind.ShouldBe(AgencyKind.Police);
        police.CreatedAt.ShouldBe(TestClock.Start);
        user.AgencyCode.ShouldBe("PPD");
        user.Roles.ShouldBe([Roles.BookingOfficer, Roles.PrivacyOfficer]);
        (await db.Identity().ListAgenciesAsync(Ct)).Select(a => a.Code).ShouldBe(["DAO", "PPD"]);
        (await db.Identity().ListUsersAsync(Ct)).ShouldHaveSingleItem().Name.ShouldBe("officer.kowalski");

        (await Should.ThrowAsync<DomainException>(() => db.Identity().AddAgencyAsync("PPD", "Again", "police", Ct))).Code.ShouldBe(ErrorCodes.AgencyCodeTaken);
        var taken = await Should.ThrowAsync<DomainException>(() => db.Identity().AddUserAsync("PPD", "officer.kowalski", [Roles.BookingOfficer], Ct));
        taken.Errors!.ByField().Keys.ShouldBe(["name"]);

        // Names are stored trimmed, so a name that differs only in surrounding spaces is the same name.
        var padded = await Should.ThrowAsync<DomainException>(() => db.Identity().AddUserAsync("PPD", " officer.kowalski ", [Roles.BookingOfficer], Ct));
        padded.Errors!.ByField().Keys.ShouldBe(["name"]);
        (await db.Identity().ListUsersAsync(Ct)).Count.ShouldBe(1);
    }

    [Theory, AllProviders]
    public async Task Bad_agency_and_user_requests_name_the_field_and_change_nothing(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        await db.Identity().AddAgencyAsync("DAO", "District Attorney's Office", "district-attorney", Ct);

        await ShouldFailOn(() => db.Identity().AddAgencyAsync("ICE", "Partner", "federal", Ct), "kind", "agency-kind");
        await ShouldFailOn(() => db.Identity().AddAgencyAsync("ppd", "Lower case", "police", Ct), "code", "agency-code-format");
        await ShouldFailOn(() => db.Identity().AddUserAsync("NOPE", "someone", [Roles.BookingOfficer], Ct), "agency", "unknown-agency");
        await ShouldFailOn(() => db.Identity().AddUserAsync("DAO", "someone", ["sheriff"], Ct), "roles", "unknown-role");
        await ShouldFailOn(() => db.Identity().AddUserAsync("DAO", "someone", [Roles.BookingOfficer], Ct), "roles", "role-not-for-agency-kind");
        await ShouldFailOn(() => db.Identity().AddUserAsync("DAO", "someone", [Roles.PartnerAnalyst], Ct), "roles", "role-not-for-agency-kind");
        await ShouldFailOn(() => db.Identity().AddUserAsync("DAO", "someone", [], Ct), "roles", "required");

        (await db.Identity().ListAgenciesAsync(Ct)).Count.ShouldBe(1);
        (await db.Identity().ListUsersAsync(Ct)).ShouldBeEmpty();
    }

    [Theory, AllProviders]
    public async Task A_token_authenticates_its_user_until_revoked(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var user = await AddAttorneyAsync(db);

        var (token, secret) = await db.Identity().CreateTokenAsync(user.Id, null, "desk", Ct);
        var caller = await db.Identity().AuthenticateAsync(secret, Ct);

        caller.ShouldNotBeNull();
        caller.UserId.ShouldBe(user.Id);
        caller.UserName.ShouldBe("ada.okafor");
        caller.AgencyCode.ShouldBe("DAO");
        caller.AgencyKind.ShouldBe(AgencyKind.DistrictAttorney);
        caller.Roles.ShouldBe([Roles.ChargingAttorney]);
        caller.TokenId.ShouldBe(token.Id);
        (await db.Identity().AuthenticateAsync(secret + "x", Ct)).ShouldBeNull();
        (await db.Identity().AuthenticateAsync(TokenSecrets.NewSecret(), Ct)).ShouldBeNull();

        db.Clock.Advance(TimeSpan.FromMinutes(1));
        var revoked = await db.Identity().RevokeTokenAsync(token.Id, Ct);

        revoked.RevokedAt.ShouldBe(db.Clock.GetUtcNow());
        (await db.Identity().AuthenticateAsync(secret, Ct)).ShouldBeNull();
        (await Should.ThrowAsync<DomainException>(() => db.Identity().RevokeTokenAsync(token.Id + 1000, Ct))).Code.ShouldBe(ErrorCodes.TokenNotFound);
    }

    [Theory, AllProviders]
    public async Task A_token_stops_working_when_it_expires(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var user = await AddAttorneyAsync(db);
        var (token, secret) = await db.Identity().CreateTokenAsync(user.Id, TimeSpan.FromDays(1), null, Ct);
        token.ExpiresAt.ShouldBe(TestClock.Start.AddDays(1));

        db.Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        (await db.Identity().AuthenticateAsync(secret, Ct)).ShouldNotBeNull();

        db.Clock.Advance(TimeSpan.FromSeconds(1));
        (await db.Identity().AuthenticateAsync(secret, Ct)).ShouldBeNull();
    }

    [Theory, AllProviders]
    public async Task A_token_reads_back_as_created_whatever_the_clock_s_precision(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var user = await AddAttorneyAsync(db);
        db.Clock.Advance(TimeSpan.FromTicks(1_234_567));

        var (token, _) = await db.Identity().CreateTokenAsync(user.Id, TimeSpan.FromDays(7), "desk", Ct);
        await using var ctx = db.NewContext();
        var stored = await ctx.Tokens.AsNoTracking().SingleAsync(t => t.Id == token.Id, Ct);

        stored.CreatedAt.ShouldBe(token.CreatedAt);
        stored.ExpiresAt.ShouldBe(token.ExpiresAt);
    }

    [Theory, AllProviders]
    public async Task Only_the_sha256_of_a_token_secret_is_stored(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var user = await AddAttorneyAsync(db);
        var (_, secret) = await db.Identity().CreateTokenAsync(user.Id, null, "laptop", Ct);
        var secretBytes = Encoding.UTF8.GetBytes(secret);

        await using var ctx = db.NewContext();
        var connection = ctx.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        var rows = 0;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT * FROM tokens";
            await using DbDataReader reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                rows++;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    var column = reader.GetName(i);
                    if (value is byte[] bytes)
                    {
                        bytes.AsSpan().IndexOf(secretBytes).ShouldBe(-1, $"tokens.{column} holds the secret");
                        bytes.AsSpan().IndexOf(secretBytes.AsSpan(TokenSecrets.Prefix.Length)).ShouldBe(-1, $"tokens.{column} holds the secret");
                    }
                    else
                    {
                        var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                        text.ShouldNotContain(secret[TokenSecrets.Prefix.Length..], Case.Sensitive, $"tokens.{column} holds the secret");
                    }
                }
            }
        }

        rows.ShouldBe(1);
        var stored = await ctx.Tokens.AsNoTracking().SingleAsync(Ct);
        stored.SecretHash.ShouldBe(System.Security.Cryptography.SHA256.HashData(secretBytes));
    }

    private static async Task<UserView> AddAttorneyAsync(TestDatabase db)
    {
        await db.Identity().AddAgencyAsync("DAO", "District Attorney's Office", "district-attorney", Ct);
        return await db.Identity().AddUserAsync("DAO", "ada.okafor", [Roles.ChargingAttorney], Ct);
    }

    private static async Task ShouldFailOn(Func<Task> action, string field, string rule)
    {
        var refused = await Should.ThrowAsync<DomainException>(action);
        refused.Code.ShouldBe(ErrorCodes.ValidationFailed);
        refused.Errors.ShouldNotBeNull();
        refused.Errors.All.ShouldContain(e => e.Field == field && e.Rule == rule, $"expected {field}/{rule}, got {string.Join(", ", refused.Errors.All.Select(e => $"{e.Field}/{e.Rule}"))}");
    }
}
