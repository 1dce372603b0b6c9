namespace Dunning.Local.Runner;

/// <summary>
/// A clock that moves only when told: for the demo, <c>run --until</c>, tests and <c>serve --simulated-clock</c>.
/// Timers are not simulated: hosts on this clock drive time with <see cref="ClockDriver"/>, never with delays.
/// </summary>
public sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref ticks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;
}
