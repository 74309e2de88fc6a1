using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenPars.Core.Agencies;
using OpenPars.Core.Oversight;
using OpenPars.Storage.Oversight;
using OpenPars.Testing;
using OpenPars.Web.Hosting;
using OpenPars.Storage.Audit;
using OpenPars.Testing.Web;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;

namespace OpenPars.Web.Tests.Oversight;

/// <summary>Steps of the oversight tests: bookings of distinct persons, partner looks, the checkpoint that proves them.</summary>
internal static class OversightHttp
{
    /// <summary>Books a distinct person (own last name and photo ID) born in <paramref name="country"/>; returns the number.</summary>
    public static async Task<string> BookPersonAsync(OpenParsTestServer server, string lastName, string country, string dateOfBirth = "1991-05-17")
    {
        var booking = SampleBookings.Valid(lastName);
        var person = booking["person"]!.AsObject();
        person["dateOfBirth"] = dateOfBirth;
        person["placeOfBirth"] = new JsonObject { ["city"] = country == "United States" ? "Philadelphia" : "Lagos", ["country"] = country };
        person["identifiers"] = new JsonObject { ["pid"] = PidOf(lastName) };
        return await BookAsync(server, booking);
    }

    /// <summary>A last name of letters only, distinct per <paramref name="i"/>.</summary>
    public static string Name(string stem, int i) => stem + (char)('a' + (i / 26 % 26)) + (char)('a' + (i % 26));

    public static async Task<JsonObject> SearchAsync(OpenParsTestServer server, string lastName, string dateOfBirth = "1991-05-17", HttpStatusCode expected = HttpStatusCode.OK, string extra = "")
    {
        var (status, body) = await PartnerAsync(server, TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests?lastName={lastName}&dateOfBirth={dateOfBirth}{extra}"));
        Assert.True(expected == status, $"search {lastName}: expected {(int)expected}, got {(int)status}: {body}");
        return body;
    }

    /// <summary>An alert raised straight into the store (an arrange step: the evaluator's own tests raise theirs from traffic).</summary>
    public static async Task<string> RaiseAlertAsync(OpenParsTestServer server, string agency = "ICE")
    {
        var key = $"arrest-number-run:{agency}:{Guid.NewGuid():N}";
        var alert = new OversightAlert(AlertKind.ArrestNumberRun, key, server.Clock.GetUtcNow(), agency, null, null, null, "An arranged alert.", [0], new Dictionary<string, string> { ["run"] = "5" });
        await using var db = server.NewContext();
        var raised = OversightAlertRaised.From(alert, null);
        Assert.True(await new OversightAlertStore(db, server.Clock, TestAudit.Trail(server.Storage, server.Clock)).RaiseAsync(raised));
        return raised.AlertId;
    }

    /// <summary>A background evaluator on the server's services (test servers run none of their own).</summary>
    public static OversightEvaluatorService Evaluator(OpenParsTestServer server, TimeSpan? interval = null) =>
        new(server.Services, NullLogger<OversightEvaluatorService>.Instance, interval ?? TimeSpan.FromSeconds(1));

    /// <summary>Signs a checkpoint of the log as it stands (the audit writer does so every ten seconds).</summary>
    public static async Task CheckpointAsync(OpenParsTestServer server)
    {
        await using var db = server.NewContext();
        await server.Services.GetRequiredService<AuditLog>().CheckpointIfBehindAsync(db);
    }

    public static Task<JsonObject> GetAsync(OpenParsTestServer server, string path, string caller = Roles.PrivacyOfficer, HttpStatusCode expected = HttpStatusCode.OK) =>
        SendOkAsync(server, caller, new HttpRequestMessage(HttpMethod.Get, path), expected);

    private static int _pids = 2_000_000;

    private static string PidOf(string lastName) =>
        lastName.Length > 0 ? Interlocked.Increment(ref _pids).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
}
