using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Agreements;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Agreements;

/// <summary>The agreements desk as pages (stakeholder representatives and privacy officers, <see cref="Policies.Overseer"/>),
/// over the same <see cref="AgreementUseCases"/> as the API, channel <c>page</c>: the list (audited as
/// <c>agreement.listed</c>), one agreement (<c>agreement.read</c>), its termination notice (<c>agreement.notice-read</c>),
/// and the forms: draft, propose, vote (consent, reject, withdraw with notice; a consent while suspended resumes),
/// renew (representatives) and suspend (privacy officers). Each form answers with a redirect to the agreement; a
/// refusal sends the form back alone with what was typed, its fields marked, its code and rule in plain words — the
/// use case's entry is the request's one entry, so the agreement is not read again for it.</summary>
public static class AgreementsPages
{
    /// <summary>Maps /agreements, /agreements/new, /agreements/{id}, /agreements/{id}/notice and the forms' POSTs.</summary>
    public static IEndpointRouteBuilder MapAgreementsPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/agreements", List).RequireAuthorization(Policies.Overseer).Audited(AuditEventType.AgreementsListed).ExcludeFromDescription();
        routes.MapGet("/agreements/new", (HttpContext context) => FormPage(context, AgreementForms.Draft, null, AgreementForms.Empty(AgreementForms.Draft), null, null, 200))
            .RequireAuthorization(Policies.StakeholderRepresentative).Audited(AuditEventType.AgreementDrafted).ExcludeFromDescription();
        routes.MapPost("/agreements/new", Draft).RequireAuthorization(Policies.StakeholderRepresentative).Audited(AuditEventType.AgreementDrafted)
            .ExcludeFromDescription().DisableAntiforgery();
        routes.MapGet("/agreements/{id}", Detail).RequireAuthorization(Policies.Overseer).Audited(AuditEventType.AgreementRead).ExcludeFromDescription();
        routes.MapGet("/agreements/{id}/notice", Notice).RequireAuthorization(Policies.Overseer).Audited(AuditEventType.AgreementNoticeRead).ExcludeFromDescription();
        routes.MapPost("/agreements/{id}/propose", Propose).RequireAuthorization(Policies.StakeholderRepresentative).Audited(AuditEventType.AgreementProposed)
            .ExcludeFromDescription().DisableAntiforgery();
        routes.MapPost("/agreements/{id}/votes", Vote).RequireAuthorization(Policies.StakeholderRepresentative).Audited(AuditEventType.AgreementVoteCast)
            .ExcludeFromDescription().DisableAntiforgery();
        routes.MapPost("/agreements/{id}/renewals", Renew).RequireAuthorization(Policies.StakeholderRepresentative).Audited(AuditEventType.AgreementRenewalDrafted)
            .ExcludeFromDescription().DisableAntiforgery();
        routes.MapPost("/agreements/{id}/suspension", Suspend).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AgreementSuspended)
            .ExcludeFromDescription().DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> List(HttpContext context, AgreementUseCases agreements)
    {
        var all = await agreements.ListAsync(context.User.ToCaller(Channels.Page), context.RequestAborted);
        return PageResults.Page<AgreementListPage>(context, "Agreements", new Dictionary<string, object?>
        {
            ["Agreements"] = all,
            ["Now"] = agreements.Clock.GetUtcNow(),
        });
    }

    private static async Task<IResult> Detail(string id, HttpContext context, AgreementUseCases agreements)
    {
        try
        {
            var stored = await agreements.GetAsync(context.User.ToCaller(Channels.Page), id, context.RequestAborted);
            var done = context.Request.Query["done"].ToString();
            return PageResults.Page<AgreementDetailPage>(context, $"Agreement {stored.AgreementId}", new Dictionary<string, object?>
            {
                ["Agreement"] = stored,
                ["Now"] = agreements.Clock.GetUtcNow(),
                ["Notice"] = AgreementForms.DoneNotice(done),
            });
        }
        catch (DomainException refusal)
        {
            return Message(context, "Agreement not shown", refusal);
        }
    }

    private static async Task<IResult> Notice(string id, HttpContext context, AgreementUseCases agreements)
    {
        try
        {
            var notice = await agreements.NoticeAsync(context.User.ToCaller(Channels.Page), id, context.RequestAborted);
            return PageResults.Page<AgreementNoticePage>(context, $"Notice of agreement {id}", new Dictionary<string, object?>
            {
                ["AgreementId"] = id,
                ["Notice"] = notice,
            });
        }
        catch (DomainException refusal)
        {
            return Message(context, "Notice not shown", refusal);
        }
    }

    private static Task<IResult> Draft(HttpContext context, AgreementUseCases agreements) =>
        ActAsync(context, AgreementForms.Draft, null, async (caller, form) =>
            (await agreements.DraftAsync(caller, AgreementJson.Parse(form["document"]), context.RequestAborted)).AgreementId);

    private static Task<IResult> Propose(string id, HttpContext context, AgreementUseCases agreements) =>
        ActAsync(context, AgreementForms.Propose, id, async (caller, form) =>
            (await agreements.ProposeAsync(caller, id, null, context.RequestAborted)).AgreementId);

    private static Task<IResult> Vote(string id, HttpContext context, AgreementUseCases agreements, CityClock city) =>
        ActAsync(context, AgreementForms.Vote, id, async (caller, form) =>
        {
            var notice = form.LocalDateTime("noticeEffectiveAt", city.Zone);
            var version = form.Integer("version");
            if (form.HasErrors)
            {
                throw Unreadable();
            }

            var request = new VoteRequest(form.Text("vote"), form["statement"], notice, version);
            return (await agreements.VoteAsync(caller, id, request, context.RequestAborted)).AgreementId;
        });

    private static Task<IResult> Renew(string id, HttpContext context, AgreementUseCases agreements) =>
        ActAsync(context, AgreementForms.Renew, id, async (caller, form) =>
            (await agreements.RenewAsync(caller, id, AgreementJson.Parse(form["document"]), context.RequestAborted)).AgreementId);

    private static Task<IResult> Suspend(string id, HttpContext context, AgreementUseCases agreements) =>
        ActAsync(context, AgreementForms.Suspend, id, async (caller, form) =>
            (await agreements.SuspendAsync(caller, id, form.Text("statement"), context.RequestAborted)).AgreementId);

    /// <summary>Reads the form (antiforgery, control characters by field), runs the action and redirects to the
    /// agreement; a value the form cannot read is refused by field before the use case (PARS-REQ-006, audited through
    /// the endpoint), a refusal of the use case is its own entry; either way the form comes back as typed.</summary>
    private static async Task<IResult> ActAsync(HttpContext context, string kind, string? id, Func<Caller, FormState, Task<string>> act)
    {
        if (await PageForms.ReadAsync(context, fieldsChecked: true) is not { } posted)
        {
            return PageForms.Refused(context);
        }

        var form = AgreementForms.Read(posted);
        if (form.HasErrors)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.ValidationFailed, 400);
            return FormPage(context, kind, id, form, ErrorCodes.ValidationFailed, null, 400);
        }

        try
        {
            var agreementId = await act(context.User.ToCaller(Channels.Page), form);
            return Results.Redirect($"/agreements/{Uri.EscapeDataString(agreementId)}?done={kind}");
        }
        catch (UnreadableForm)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.ValidationFailed, 400);
            return FormPage(context, kind, id, form, ErrorCodes.ValidationFailed, null, 400);
        }
        catch (DomainException refusal)
        {
            // A document the parser refused never reached the use case: its entry is the endpoint's (no-op otherwise).
            await AuditEndpointConventions.RecordRefusalAsync(context, refusal.Code, ErrorCatalogue.StatusFor(refusal.Code));
            if (refusal.Errors is { IsEmpty: false } errors)
            {
                form.Add(errors.All);
            }

            return FormPage(context, kind, id, form, refusal.Code, refusal.Errors is { IsEmpty: false } ? null : refusal.Message, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static UnreadableForm Unreadable() => new();

    private static RazorComponentResult FormPage(HttpContext context, string kind, string? id, FormState form, string? code, string? message, int status) =>
        PageResults.Page<AgreementFormPage>(context, AgreementForms.Heading(kind), new Dictionary<string, object?>
        {
            ["Kind"] = kind,
            ["AgreementId"] = id is { Length: <= 200 } ? id : null,
            ["Form"] = form,
            ["Code"] = code,
            ["Message"] = message,
        }, status);

    private static RazorComponentResult Message(HttpContext context, string title, DomainException refusal) =>
        PageResults.Refused(context, title, refusal, "/agreements");

    /// <summary>A value the form could not read as its type (its refusal is already in the form).</summary>
    private sealed class UnreadableForm : Exception;
}

/// <summary>The agreement desk's forms: their kinds, where they post, their fields' labels and choices.</summary>
public static class AgreementForms
{
    /// <summary>A new agreement's first draft.</summary>
    public const string Draft = "draft";

    /// <summary>Put the latest draft to the vote.</summary>
    public const string Propose = "propose";

    /// <summary>Consent, reject or withdraw.</summary>
    public const string Vote = "vote";

    /// <summary>The next version.</summary>
    public const string Renew = "renew";

    /// <summary>A privacy officer's suspension.</summary>
    public const string Suspend = "suspend";

    /// <summary>The vote kinds as the use case reads them.</summary>
    public static IReadOnlyList<(string Value, string Label)> VoteChoices { get; } =
        [("consent", "Consent (or resume a suspended agreement)"), ("reject", "Reject"), ("withdraw", "Withdraw (ends the agreement with the quorum)")];

    /// <summary>Where the form of <paramref name="kind"/> posts.</summary>
    public static string Action(string kind, string? agreementId)
    {
        var id = Uri.EscapeDataString(agreementId ?? "");
        return kind switch
        {
            Propose => $"/agreements/{id}/propose",
            Vote => $"/agreements/{id}/votes",
            Renew => $"/agreements/{id}/renewals",
            Suspend => $"/agreements/{id}/suspension",
            _ => "/agreements/new",
        };
    }

    /// <summary>The form's heading (and the title of its page).</summary>
    public static string Heading(string kind) => kind switch
    {
        Propose => "Propose the latest draft",
        Vote => "Vote",
        Renew => "Draft a renewal",
        Suspend => "Suspend pending review",
        _ => "Draft an agreement",
    };

    /// <summary>The form's button.</summary>
    public static string Button(string kind) => kind switch
    {
        Propose => "Propose for the vote",
        Vote => "Cast the vote",
        Renew => "Save the renewal draft",
        Suspend => "Suspend the agreement",
        _ => "Save the draft",
    };

    /// <summary>What the detail page says after a form of <paramref name="kind"/> succeeded.</summary>
    public static string? DoneNotice(string kind) => kind switch
    {
        Draft => "The draft is saved.",
        Propose => "The draft is put to the vote.",
        Vote => "Your vote is recorded.",
        Renew => "The renewal draft is saved.",
        Suspend => "The agreement is suspended.",
        _ => null,
    };

    /// <summary>An empty form of <paramref name="kind"/>, labelled.</summary>
    public static FormState Empty(string kind) => Describe(new FormState());

    /// <summary>The posted form (statements and documents keep their line breaks).</summary>
    public static FormState Read(IFormCollection posted) => Describe(FormState.Read(posted, key => key is "statement" or "document"));

    private static FormState Describe(FormState form)
    {
        form.Label("vote", "Vote");
        form.Label("statement", "Statement (in your agency's words, published with the vote)");
        form.Label("noticeEffectiveAt", "Withdrawal takes effect at (local time; blank: at once)");
        form.Label("version", "Version (blank: the one the vote concerns)");
        form.Label("document", "Agreement document (JSON, docs/agreements/agreement.schema.json)");
        return form;
    }
}

/// <summary>Agreement facts in the desk's words.</summary>
public static class AgreementPageText
{
    /// <summary>A status as the pages and the API name it.</summary>
    public static string Status(AgreementStatus status) => FormState.Code(status);

    /// <summary>A vote's kind.</summary>
    public static string Vote(AgreementVoteCast vote)
    {
        ArgumentNullException.ThrowIfNull(vote);
        return vote.ResumesSuspension is not null ? $"{FormState.Code(vote.Kind)} (on the suspension)" : FormState.Code(vote.Kind);
    }

    /// <summary>Why no instant changes the status by itself.</summary>
    public static string NoClockChange(AgreementStanding standing)
    {
        ArgumentNullException.ThrowIfNull(standing);
        return standing.Status switch
        {
            AgreementStatus.Draft => "when it is proposed",
            AgreementStatus.Proposed => standing.ConsentQuorumUnreachable ? "never: the rejections make the consent quorum impossible" : "when the consent quorum is reached",
            AgreementStatus.Suspended => "when a consent quorum resumes it",
            AgreementStatus.Active => "when the withdrawal quorum is reached",
            _ => "never: it has ended",
        };
    }
}
