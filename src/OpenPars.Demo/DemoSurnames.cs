using Bogus.Bson;
using OpenPars.Core.Oversight.Simulation;
using static OpenPars.Demo.DemoVocabulary;

namespace OpenPars.Demo;

/// <summary>
/// The tradition a demo surname comes from, as a partner reading the name would guess it: the word lists the demo's
/// generator draws surnames from (Bogus's locales and <see cref="DemoVocabulary"/>). The biased partner of the
/// demo's history (<see cref="SimulatedPartner"/>) chooses by this alone; a name in the U.S. list counts as English
/// whatever else lists it, and a name in no list as English too (unmarked).
/// </summary>
internal static class DemoSurnames
{
    private static readonly Lazy<Dictionary<string, SurnameOrigin>> Known = new(Build);

    public static SurnameOrigin Of(string lastName) =>
        Known.Value.TryGetValue(lastName, out var origin) ? origin : SurnameOrigin.English;

    private static Dictionary<string, SurnameOrigin> Build()
    {
        var known = new Dictionary<string, SurnameOrigin>(StringComparer.Ordinal);
        Add(known, Locale("en_US"), SurnameOrigin.English);
        Add(known, Locale("es"), SurnameOrigin.Spanish);
        Add(known, Locale("vi"), SurnameOrigin.Asian);
        Add(known, Locale("en_IND"), SurnameOrigin.Asian);
        Add(known, [.. ChineseSurnames, .. KoreanSurnames, .. KhmerSurnames], SurnameOrigin.Asian);
        Add(known, Locale("fr"), SurnameOrigin.French);
        Add(known, Locale("en_NG"), SurnameOrigin.WestAfrican);
        // The simulator's "Slavic" stands for the European traditions other than English the generator uses.
        Add(known, [.. UkrainianSurnames, .. RussianSurnames, .. AlbanianSurnames, .. PolishSurnames, .. Locale("it")], SurnameOrigin.Slavic);
        return known;
    }

    private static void Add(Dictionary<string, SurnameOrigin> known, IEnumerable<string> names, SurnameOrigin origin)
    {
        foreach (var name in names)
        {
            known.TryAdd(name, origin);
        }
    }

    private static List<string> Locale(string locale) =>
        Bogus.Database.Get("name", "last_name", locale, locale) is BArray names ? [.. Enumerable.Range(0, names.Count).Select(i => names[i].StringValue)] : [];
}
