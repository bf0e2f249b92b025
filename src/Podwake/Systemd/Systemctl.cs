using Podwake.Host;

namespace Podwake.Systemd;

/// <summary>
/// systemctl for one <see cref="SystemdManager"/>. podwake reaches managers the way an administrator does, through
/// systemctl (its private socket, no D-Bus needed); another user's manager is reached as that user with runuser.
/// </summary>
internal sealed class Systemctl
{
    public const string DefaultPath = "/usr/bin/systemctl";

    private readonly SystemdManager _manager;
    private readonly string _path;

    public Systemctl(SystemdManager manager, string path = DefaultPath)
    {
        _manager = manager;
        _path = path;
    }

    public SystemdManager Manager => _manager;

    /// <summary>Runs <c>systemctl --user|--system ARGS...</c> and returns what it did, failed or not.</summary>
    public Task<ExternalCommandResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        List<string> words = [_manager.ScopeFlag, .. arguments];
        if (_manager.UserName is { } user)
        {
            return ExternalCommand.RunAsync(
                "runuser",
                ["-u", user, "--", "env", $"XDG_RUNTIME_DIR={_manager.RuntimeDirectory}", $"HOME={_manager.Home}", _path, .. words],
                cancellationToken: cancellationToken);
        }

        var environment = _manager.IsSystem ? null : new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = _manager.RuntimeDirectory };
        return ExternalCommand.RunAsync(_path, words, environment, cancellationToken);
    }

    /// <summary>Starts <paramref name="unit"/> and waits for its start job (joining one already queued).</summary>
    public async Task StartAsync(string unit, CancellationToken cancellationToken = default) =>
        (await RunAsync(["start", unit], cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"start {unit}");

    /// <summary>Stops <paramref name="unit"/> and waits until it is stopped; stopping a stopped unit is not an error.</summary>
    public async Task StopAsync(string unit, CancellationToken cancellationToken = default) =>
        (await RunAsync(["stop", unit], cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"stop {unit}");

    /// <summary>
    /// The manager's SystemState (<c>running</c>, <c>degraded</c>, <c>starting</c>, ...), or what systemctl said when it could
    /// not reach the manager. Not <c>is-system-running</c>: that answers "offline" whenever /run/systemd/system is
    /// missing (sd_booted), which is the case for a user manager on a host whose PID 1 is not systemd.
    /// </summary>
    public async Task<(bool Answers, string State)> SystemStateAsync(CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["show", "--property=SystemState", "--value"], cancellationToken).ConfigureAwait(false);
        var state = result.Stdout.Trim();
        return result.Succeeded && state is "running" or "degraded" or "starting" or "initializing" or "maintenance"
            ? (true, state)
            : (false, result.Stderr.Trim().Length > 0 ? result.Stderr.Trim() : state);
    }

    /// <summary>The unit's ActiveState (<c>active</c>, <c>inactive</c>, <c>activating</c>, <c>failed</c>, ...).</summary>
    public async Task<string> ActiveStateAsync(string unit, CancellationToken cancellationToken = default)
    {
        var result = (await RunAsync(["show", "--property=ActiveState", "--value", unit], cancellationToken).ConfigureAwait(false))
            .ThrowIfFailed($"read the state of {unit}");
        return result.Stdout.Trim();
    }
}
