using Microsoft.Extensions.Time.Testing;

namespace OpenPars.Testing;

/// <summary>The tests' clock: a <see cref="FakeTimeProvider"/> that starts at a fixed instant and moves only when told.</summary>
public static class TestClock
{
    /// <summary>A Tuesday morning in 2026, UTC. Arrest numbers taken at this instant start with "26-".</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>When every migrated test database adopted the embedded charter: before every test clock's start.</summary>
    public static readonly DateTimeOffset CharterAdoptedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider New() => New(Start);

    public static FakeTimeProvider New(DateTimeOffset start) => new(start) { AutoAdvanceAmount = TimeSpan.Zero };
}
