namespace Podwake.Activation;

/// <summary>
/// When a wake passed each of its moments (<see cref="TimeProvider"/> timestamps): the connection that started it was
/// accepted, the start was requested (by the attempt that got ready), the container ran, the probe passed.
/// </summary>
internal sealed record WakeTimeline(long AcceptedAt, long StartRequestedAt, long RunningAt, long ReadyAt);
