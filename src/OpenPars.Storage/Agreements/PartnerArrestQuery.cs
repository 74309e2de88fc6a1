using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Charging;
using OpenPars.Core.Common;
using OpenPars.Core.Policy;
using OpenPars.Storage.Arrests;

namespace OpenPars.Storage.Agreements;

/// <summary>
/// The enforcement of an allowed partner decision in SQL. The row scope and the criteria are pushed into the
/// WHERE; the SELECT is built from the decision's <see cref="PolicyDecision.Allowed.Columns"/> only, so the
/// generated SQL never names a withheld column (a test reads it). <c>involved_parties</c> is never joined.
/// Masks are applied at projection, by <see cref="PartnerView.Project"/>, on a record that holds only what
/// was selected. A charge's typed description is never selected: it is free text that can name victims and
/// their telephone numbers, so a partner gets the statute's title from the statute data instead
/// (<see cref="PartnerView.Project(ArrestRecord, IReadOnlyList{FieldGrant}, StatuteCatalog?)"/>). The rows selected are exactly those <see cref="RowScopeRules.InScope(ArrestRecord, RowScope, DateTimeOffset, StatuteCatalog)"/>
/// accepts (a property test compares both on random data and agreements).
/// </summary>
public static class PartnerArrestQuery
{
    /// <summary>At most this many records per answer, whatever the remaining quota.</summary>
    public const int MaxRecordsPerAnswer = 100;

    /// <summary>Runs the query and returns the partner records, newest booking first.</summary>
    /// <exception cref="DomainException">PARS-REQ-006 when a criterion's value has the wrong format.</exception>
    public static async Task<IReadOnlyList<PartnerRecord>> DiscloseAsync(
        OpenParsDbContext db, PolicyDecision.Allowed decision, DateTimeOffset now, StatuteCatalog statutes, CancellationToken ct = default)
    {
        if (now >= decision.ExpiresAt || decision.MaxRecords <= 0)
        {
            return [];
        }

        var rows = await Build(db, decision, statutes).ToListAsync(ct);
        return [.. rows.Select(r => PartnerView.Project(ToRecord(r), decision.Columns, statutes))];
    }

    /// <summary>The query, not run: scope and criteria in the WHERE, granted columns in the SELECT, capped.</summary>
    /// <param name="db">The context the query runs on.</param>
    /// <param name="decision">The allowed decision: its row scope, criteria and granted columns.</param>
    /// <param name="statutes">The statutes file, for scopes by offense category.</param>
    /// <param name="answerCap">The most records one answer carries (tests compare whole scopes with a larger one).</param>
    public static IQueryable<PartnerRow> Build(OpenParsDbContext db, PolicyDecision.Allowed decision, StatuteCatalog statutes, int answerCap = MaxRecordsPerAnswer)
    {
        var rows = Filter(db, decision, statutes);
        var cap = Math.Min(decision.MaxRecords, answerCap);
        return rows.OrderByDescending(a => a.BookedAt).ThenByDescending(a => a.Id).Take(Math.Max(0, cap)).Select(Projection(decision.Columns));
    }

    /// <summary>The WHERE: the read's arrest number or the search criteria, then every member of the row scope.</summary>
    public static IQueryable<ArrestRow> Filter(OpenParsDbContext db, PolicyDecision.Allowed decision, StatuteCatalog statutes)
    {
        var rows = db.Arrests.AsNoTracking();
        if (decision.Operation == PartnerOperation.Read)
        {
            var number = decision.ArrestNumber ?? "";
            rows = rows.Where(a => a.ArrestNumber == number);
        }

        var errors = new ValidationErrors();
        foreach (var (name, value) in decision.Criteria)
        {
            rows = Criterion(db, rows, name, value, statutes, errors);
        }

        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        return Scope(db, rows, decision.Scope, decision.BookedSince, statutes);
    }

    /// <summary>The row scope as SQL; each member narrows, as in <see cref="RowScopeRules"/>.</summary>
    public static IQueryable<ArrestRow> Scope(OpenParsDbContext db, IQueryable<ArrestRow> rows, RowScope scope, DateTimeOffset? bookedSince, StatuteCatalog statutes)
    {
        if (scope.Statuses is { } statuses)
        {
            var codes = statuses.Select(ArrestStatusMachine.ToCode).ToList();
            rows = rows.Where(a => codes.Contains(a.Status));
        }

        if (scope.ChargeGrades is { } grades)
        {
            var codes = grades.Select(OffenseGrades.ToCode).ToList();
            rows = rows.Where(a => db.Charges.Any(c => c.ArrestId == a.Id && codes.Contains(c.Grade)));
        }

        if (scope.OffenseCategories is { } categories)
        {
            // Categories come from the statutes file: the scope becomes the list of citations in them.
            // A category no statute has matches nothing (fail closed), as in RowScopeRules.
            var citations = statutes.All.Where(s => categories.Contains(s.Category, StringComparer.OrdinalIgnoreCase)).Select(s => s.Citation).ToList();
            rows = rows.Where(a => db.Charges.Any(c => c.ArrestId == a.Id && citations.Contains(c.Citation)));
        }

        if (scope.Districts is { } districts)
        {
            var list = districts.ToList();
            rows = rows.Where(a => list.Contains(a.District));
        }

        if (bookedSince is { } since)
        {
            rows = rows.Where(a => a.BookedAt >= since);
        }

        if (scope.AdultsOnly)
        {
            rows = rows.Where(a => a.AdultAtBooking);
        }

        return rows;
    }

    private static IQueryable<ArrestRow> Criterion(OpenParsDbContext db, IQueryable<ArrestRow> rows, string name, string value, StatuteCatalog statutes, ValidationErrors errors)
    {
        switch (name)
        {
            case SearchCriteria.ArrestNumber:
                return rows.Where(a => a.ArrestNumber == value);
            case SearchCriteria.LastName:
                var last = ArrestRowMapping.NameKey(value);
                return rows.Where(a => a.LastNameKey == last);
            case SearchCriteria.FirstName:
                var first = ArrestRowMapping.NameKey(value);
                return rows.Where(a => a.FirstNameKey == first);
            case SearchCriteria.DateOfBirth:
                if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
                {
                    errors.Add(name, "date-format", $"{name} must be a date written yyyy-MM-dd.");
                    return rows;
                }

                return rows.Where(a => a.DateOfBirth == dob);
            case SearchCriteria.Sid:
                return rows.Where(a => a.Sid == value);
            case SearchCriteria.FbiNumber:
                return rows.Where(a => a.FbiNumber == value);
            case SearchCriteria.Pid:
                return rows.Where(a => a.Pid == value);
            case SearchCriteria.BookedFrom or SearchCriteria.BookedTo:
                if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
                {
                    errors.Add(name, "instant-format", $"{name} must be an ISO 8601 instant, e.g. 2026-11-23T08:00:00-05:00.");
                    return rows;
                }

                return name == SearchCriteria.BookedFrom ? rows.Where(a => a.BookedAt >= instant) : rows.Where(a => a.BookedAt < instant);
            case SearchCriteria.District:
                return rows.Where(a => a.District == value);
            case SearchCriteria.Statute:
                var citation = statutes.TryFind(value, out var statute) ? statute.Citation : value;
                return rows.Where(a => db.Charges.Any(c => c.ArrestId == a.Id && c.Citation == citation));
            default:
                // The decision only lets catalogue criteria through; anything else would widen nothing, so refuse.
                errors.Add(name, "unknown-criterion", "This is not a partner search criterion.");
                return rows;
        }
    }

    // ------------------------------------------------------------------------------------------ the SELECT

    /// <summary>An arrest has an arraignment when its bail type is recorded (<see cref="ArrestRowMapping.Read"/>): only
    /// tested for null, and only when an arraignment field is granted.</summary>
    private static readonly (string, LambdaExpression) HasArraignment = Bind(nameof(PartnerRow.HasArraignment), a => (bool?)(a.BailType != null));

    /// <summary>What a catalogue field reads: the columns (as lambdas on the row) bound to <see cref="PartnerRow"/>.</summary>
    private static readonly Dictionary<string, (string Member, LambdaExpression Value)[]> Columns = new(StringComparer.Ordinal)
    {
        [DisclosableFields.BookedAt] = [Bind(nameof(PartnerRow.BookedAt), a => (DateTimeOffset?)a.BookedAt)],
        [DisclosableFields.District] = [Bind(nameof(PartnerRow.District), a => a.District)],
        [DisclosableFields.Status] = [Bind(nameof(PartnerRow.Status), a => a.Status)],
        [DisclosableFields.LastName] = [Bind(nameof(PartnerRow.LastName), a => a.LastName)],
        [DisclosableFields.FirstName] = [Bind(nameof(PartnerRow.FirstName), a => a.FirstName)],
        [DisclosableFields.MiddleName] = [Bind(nameof(PartnerRow.MiddleName), a => a.MiddleName)],
        [DisclosableFields.Aliases] = [Bind(nameof(PartnerRow.AliasesJson), a => a.AliasesJson)],
        [DisclosableFields.DateOfBirth] = [Bind(nameof(PartnerRow.DateOfBirth), a => a.DateOfBirth)],
        [DisclosableFields.Sex] = [Bind(nameof(PartnerRow.Sex), a => a.Sex)],
        [DisclosableFields.Ssn] = [Bind(nameof(PartnerRow.Ssn), a => a.Ssn)],
        [DisclosableFields.Sid] = [Bind(nameof(PartnerRow.Sid), a => a.Sid)],
        [DisclosableFields.FbiNumber] = [Bind(nameof(PartnerRow.FbiNumber), a => a.FbiNumber)],
        [DisclosableFields.Pid] = [Bind(nameof(PartnerRow.Pid), a => a.Pid)],
        [DisclosableFields.Address] =
        [
            Bind(nameof(PartnerRow.AddressStreet), a => a.AddressStreet),
            Bind(nameof(PartnerRow.AddressCity), a => a.AddressCity),
            Bind(nameof(PartnerRow.AddressState), a => a.AddressState),
            Bind(nameof(PartnerRow.AddressPostalCode), a => a.AddressPostalCode),
        ],
        [DisclosableFields.Charges] =
        [
            Bind(nameof(PartnerRow.Charges), a => a.Charges.OrderBy(c => c.Position)
                .Select(c => new PartnerCharge { Citation = c.Citation, Grade = c.Grade, Counts = c.Counts }).ToList()),
        ],
        [DisclosableFields.OffenseLocation] = [Bind(nameof(PartnerRow.OffenseLocation), a => a.OffenseLocation)],
        [DisclosableFields.OccurredAt] = [Bind(nameof(PartnerRow.OccurredAt), a => a.OccurredAt)],
        [DisclosableFields.ChargingOutcome] = [Bind(nameof(PartnerRow.ChargingOutcome), a => a.ChargingOutcome)],
        [DisclosableFields.DocketNumber] = [Bind(nameof(PartnerRow.DocketNumber), a => a.DocketNumber), HasArraignment],
        [DisclosableFields.NextHearingDate] = [Bind(nameof(PartnerRow.NextHearingDate), a => a.NextHearingDate), HasArraignment],
        [DisclosableFields.NextHearingCourtroom] = [Bind(nameof(PartnerRow.NextHearingCourtroom), a => a.NextHearingCourtroom), HasArraignment],
        [DisclosableFields.BailType] = [Bind(nameof(PartnerRow.BailType), a => a.BailType), HasArraignment],
        [DisclosableFields.Custody] = [Bind(nameof(PartnerRow.Custody), a => a.Custody), HasArraignment],
    };

    /// <summary>new PartnerRow { ArrestNumber = a.ArrestNumber, &lt;granted members only&gt; }. The arrest number is
    /// always read: the audit entry names every record disclosed, granted as a field or not.</summary>
    public static Expression<Func<ArrestRow, PartnerRow>> Projection(IReadOnlyList<FieldGrant> grants)
    {
        var a = Expression.Parameter(typeof(ArrestRow), "a");
        var bindings = new Dictionary<string, MemberBinding>(StringComparer.Ordinal)
        {
            [nameof(PartnerRow.ArrestNumber)] = Expression.Bind(Member(nameof(PartnerRow.ArrestNumber)), Expression.Property(a, nameof(ArrestRow.ArrestNumber))),
        };
        foreach (var grant in grants)
        {
            if (!DisclosableFields.TryFind(grant.Field, out var field) || !field.Allows(grant.Mask) || !Columns.TryGetValue(grant.Field, out var columns))
            {
                continue;
            }

            foreach (var (member, value) in columns)
            {
                bindings[member] = Expression.Bind(Member(member), new Rebind(value.Parameters[0], a).Visit(value.Body));
            }
        }

        return Expression.Lambda<Func<ArrestRow, PartnerRow>>(Expression.MemberInit(Expression.New(typeof(PartnerRow)), bindings.Values), a);
    }

    /// <summary>The selected values as an <see cref="ArrestRecord"/> whose unselected members are empty, for
    /// <see cref="PartnerView.Project"/> to mask. Mirrors <see cref="ArrestRowMapping.Read"/> for what it reads.</summary>
    public static ArrestRecord ToRecord(PartnerRow r) => new()
    {
        ArrestNumber = r.ArrestNumber,
        Status = r.Status is { } s && ArrestStatusMachine.TryParse(s, out var status) ? status : default,
        District = r.District ?? "",
        BookedAt = r.BookedAt ?? default,
        Incident = new Incident { OffenseLocation = r.OffenseLocation ?? "", OccurredAt = r.OccurredAt },
        Person = new Person
        {
            LastName = r.LastName ?? "",
            FirstName = r.FirstName ?? "",
            MiddleName = r.MiddleName,
            Aliases = r.AliasesJson is null ? [] : JsonSerializer.Deserialize<List<PersonName>>(r.AliasesJson, OpenParsJson.Options) ?? [],
            DateOfBirth = r.DateOfBirth,
            Sex = ArrestRowMapping.ParseEnum<Sex>(r.Sex),
            Ssn = r.Ssn,
            Address = r.AddressStreet is null ? null : new PostalAddress
            {
                Street = r.AddressStreet,
                City = r.AddressCity ?? "",
                State = r.AddressState,
                PostalCode = r.AddressPostalCode,
            },
            Identifiers = new PersonIdentifiers { Pid = r.Pid, Sid = r.Sid, FbiNumber = r.FbiNumber },
        },
        Charges = r.Charges?.Select(c => ArrestRowMapping.ReadCharge(new ChargeRow { Citation = c.Citation, Grade = c.Grade, Counts = c.Counts }) with { Description = null }).ToList() ?? [],
        Charging = r.ChargingOutcome is null ? null : new ChargingRecord { Outcome = ArrestRowMapping.ParseEnum<ChargingOutcome>(r.ChargingOutcome)!.Value },
        Arraignment = r.HasArraignment != true ? null : new ArraignmentRecord
        {
            BailType = ArrestRowMapping.ParseEnum<BailType>(r.BailType),
            DocketNumber = r.DocketNumber ?? "",
            NextHearingDate = r.NextHearingDate,
            NextHearingCourtroom = r.NextHearingCourtroom,
            Custody = ArrestRowMapping.ParseEnum<CustodyOutcome>(r.Custody),
        },
    };

    private static (string, LambdaExpression) Bind<T>(string member, Expression<Func<ArrestRow, T>> value) => (member, value);

    private static PropertyInfo Member(string name) => typeof(PartnerRow).GetProperty(name) ?? throw new InvalidOperationException(name);

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

/// <summary>What a partner query selects: every member null unless its field is granted (then it is read).</summary>
public sealed class PartnerRow
{
    public string ArrestNumber { get; set; } = "";
    public DateTimeOffset? BookedAt { get; set; }
    public string? District { get; set; }
    public string? Status { get; set; }
    public string? LastName { get; set; }
    public string? FirstName { get; set; }
    public string? MiddleName { get; set; }
    public string? AliasesJson { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public string? Sex { get; set; }
    public string? Ssn { get; set; }
    public string? Sid { get; set; }
    public string? FbiNumber { get; set; }
    public string? Pid { get; set; }
    public string? AddressStreet { get; set; }
    public string? AddressCity { get; set; }
    public string? AddressState { get; set; }
    public string? AddressPostalCode { get; set; }
    public List<PartnerCharge>? Charges { get; set; }
    public string? OffenseLocation { get; set; }
    public DateTimeOffset? OccurredAt { get; set; }
    public string? ChargingOutcome { get; set; }
    public bool? HasArraignment { get; set; }
    public string? DocketNumber { get; set; }
    public DateOnly? NextHearingDate { get; set; }
    public string? NextHearingCourtroom { get; set; }
    public string? BailType { get; set; }
    public string? Custody { get; set; }
}

/// <summary>A charge as a partner query reads it: no description (see <see cref="PartnerArrestQuery"/>).</summary>
public sealed class PartnerCharge
{
    public string Citation { get; set; } = "";
    public string Grade { get; set; } = "";
    public int Counts { get; set; }
}
