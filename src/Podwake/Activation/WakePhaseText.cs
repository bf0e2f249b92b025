namespace Podwake.Activation;

/// <summary>The <c>phase</c> label of <c>podwake_wake_duration_seconds</c>.</summary>
internal static class WakePhaseText
{
    public static IReadOnlyList<WakePhase> All { get; } = [WakePhase.StartRequested, WakePhase.Running, WakePhase.Ready, WakePhase.FirstByte];

    public static string ToText(this WakePhase phase) => phase switch
    {
        WakePhase.StartRequested => "start_requested",
        WakePhase.Running => "running",
        WakePhase.Ready => "ready",
        WakePhase.FirstByte => "first_byte",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };
}
