using OpenPars.Core.Common;
using OpenPars.Testing;
using OpenPars.App.Hosting;
using Xunit;

namespace OpenPars.Storage.Tests.Agencies;

public sealed class IdentityRaceTests
{
    [Theory, AllProviders]
    public async Task Two_concurrent_adds_of_one_agency_code_give_one_agency_and_one_agency_code_taken(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        for (var round = 0; round < 5; round++)
        {
            var code = $"R{round}";
            using var barrier = new Barrier(2);
            var attempts = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                var identity = db.Identity();
                barrier.SignalAndWait();
                try
                {
                    await identity.AddAgencyAsync(code, "Racing Sheriff", "partner");
                    return "added";
                }
                catch (DomainException e)
                {
                    return e.Code;
                }
            })).ToList();

            var outcomes = await Task.WhenAll(attempts);
            Assert.Equal(["added", ErrorCodes.AgencyCodeTaken], outcomes.Order(StringComparer.Ordinal).Reverse());
        }
    }

    [Theory, AllProviders]
    public async Task A_user_name_held_in_two_agencies_is_refused_as_ambiguous_not_guessed(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var identity = db.Identity();
        await identity.AddAgencyAsync("PPD", "Police Department", "police");
        await identity.AddAgencyAsync("DAO", "District Attorney", "district-attorney");
        await identity.AddUserAsync("PPD", "j.smith", ["records-admin"]);
        Assert.NotNull(await db.Identity().FindUserByNameAsync("j.smith"));

        await identity.AddUserAsync("DAO", "j.smith", ["charging-attorney"]);
        var refusal = await Assert.ThrowsAsync<DomainException>(() => db.Identity().FindUserByNameAsync("j.smith"));
        Assert.Equal("ambiguous-user-name", refusal.Errors!.All.Single().Rule);
    }
}
