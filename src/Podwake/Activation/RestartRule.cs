using Podwake.Specs;

namespace Podwake.Activation;

/// <summary>
/// The restart policy applied to the end of a run: <c>always</c> restarts any exit, <c>on-failure</c> one that is not
/// clean (unknown included), <c>no</c> none. A run that keeps dying soon after it got ready would restart in a tight
/// loop: the first restart is at once, the next ones of a crash run back off (<see cref="RestartBackoff"/>), and a run
/// that lived past the cap starts over. <see cref="DelayAfterExit"/> counts crashes and is called under the activator's
/// lock only; the rest reads the immutable policy (a <see cref="WakeAttempt"/> asks it outside the lock).
/// </summary>
internal sealed class RestartRule(RestartPolicy policy)
{
    private int _crashesInARow;

    /// <summary>Exits in a row of runs that died soon after they got ready.</summary>
    public int CrashesInARow => _crashesInARow;

    public string PolicyName => policy.ToText();

    public bool RestartsAfter(int? exitCode) =>
        policy == RestartPolicy.Always || (policy == RestartPolicy.OnFailure && !IsCleanExit(exitCode));

    /// <summary>A start that failed (podman refused, the image is gone): a failure as the policy sees it.</summary>
    public bool RetriesFailedStart => policy != RestartPolicy.No;

    /// <summary>The wait before restarting a run that lived <paramref name="lived"/> after it got ready.</summary>
    public TimeSpan DelayAfterExit(TimeSpan lived)
    {
        _crashesInARow = lived >= RestartBackoff.Cap ? 1 : _crashesInARow + 1;
        return RestartBackoff.After(_crashesInARow - 1);
    }

    /// <summary>
    /// 0, or 143 (128 + SIGTERM): death by the SIGTERM of a stop (an outside <c>podman stop</c>; busybox-like programs
    /// die of it through the init) is a stop someone asked for, not a failure. The container unit says the same with
    /// <c>SuccessExitStatus=143</c>, so both runtimes leave such a service dormant under <c>on-failure</c> (as podman
    /// and Docker never restart a container a user stopped) and the next connection wakes it again.
    /// </summary>
    public static bool IsCleanExit(int? exitCode) => exitCode is 0 or 143;
}
