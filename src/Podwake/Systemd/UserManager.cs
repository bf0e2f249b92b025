using System.Globalization;
using Podwake.Host;
using Podwake.Podman;

namespace Podwake.Systemd;

/// <summary>
/// A user's <c>systemd --user</c>, kept running while the user has no session (root only). With logind that is
/// <c>loginctl enable-linger</c>; on a host whose PID 1 is not systemd podwake starts the manager itself, the way
/// the README describes ("How `podwake deploy` and `undeploy` behave"): cgroups the user may write, <c>/run/systemd/system</c> present while it starts, its own session.
/// </summary>
internal sealed class UserManager
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public const string SystemdPath = "/lib/systemd/systemd";

    private const string CgroupRoot = "/sys/fs/cgroup";
    private const int SigKill = 9;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly UnixUser _user;
    private readonly TimeProvider _time;

    public UserManager(UnixUser user, TimeProvider? time = null)
    {
        _user = user;
        _time = time ?? TimeProvider.System;
    }

    public SystemdManager Manager => SystemdManager.OfUser(_user.Name, _user.Uid, _user.Home);

    public Systemctl Systemctl => new(Manager);

    /// <summary>The manager answers on its private socket.</summary>
    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path.Combine(_user.RuntimeDirectory, "systemd", "private")))
        {
            return false;
        }

        return (await Systemctl.SystemStateAsync(cancellationToken).ConfigureAwait(false)).Answers;
    }

    /// <summary>Starts the manager unless it runs; true when this call started it.</summary>
    public async Task<bool> EnsureRunningAsync(CancellationToken cancellationToken = default)
    {
        if (await IsRunningAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        RequireRoot("start");
        if (SystemdHost.HasLogind)
        {
            (await ExternalCommand.RunAsync("loginctl", ["enable-linger", _user.Name], cancellationToken: cancellationToken).ConfigureAwait(false))
                .ThrowIfFailed($"enable lingering for {_user.Name}");
        }
        else
        {
            await StartDirectlyAsync(cancellationToken).ConfigureAwait(false);
        }

        await WaitUntilAsync(running: true, StartTimeout, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Stops the manager and everything it runs; true when one was running.</summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken = default)
    {
        RequireRoot("stop");
        var running = await IsRunningAsync(cancellationToken).ConfigureAwait(false);
        if (SystemdHost.HasLogind)
        {
            await ExternalCommand.RunAsync("loginctl", ["disable-linger", _user.Name], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (running)
            {
                await ExternalCommand.RunAsync("loginctl", ["terminate-user", _user.Name], cancellationToken: cancellationToken).ConfigureAwait(false);
                await WaitUntilAsync(running: false, StartTimeout, cancellationToken).ConfigureAwait(false);
            }

            return running;
        }

        if (running)
        {
            // exit = stop every unit, then the manager itself (systemctl(1)); the reply may be cut by the exit.
            await Systemctl.RunAsync(["exit"], cancellationToken).ConfigureAwait(false);
            await WaitUntilAsync(running: false, StartTimeout, cancellationToken).ConfigureAwait(false);
        }

        // What the manager left in its cgroups (a unit that ignored SIGTERM): end it, then remove the cgroups.
        foreach (var directory in CgroupDirectories())
        {
            await EndCgroupAsync(directory, cancellationToken).ConfigureAwait(false);
        }

        return running;
    }

    private async Task StartDirectlyAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(SystemdPath))
        {
            throw new EnvironmentException($"{SystemdPath} is missing, so no user manager can run: apt-get install systemd");
        }

        // The runtime directory systemd --user and rootless podman expect (logind makes it on a booted host).
        HostFiles.CreateRuntimeDirectory(_user);

        var procs = new List<string>();
        foreach (var directory in CgroupDirectories())
        {
            HostFiles.CreateDirectories(directory, null);

            // lchown: the user owns these from an earlier run, but cgroupfs takes no symbolic links, so none is followed.
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Prepend(directory))
            {
                HostFiles.Chown(entry, _user);
            }

            procs.Add(Path.Combine(directory, "cgroup.procs"));
        }

        // systemd --user refuses to run on a host "not booted with systemd" unless this exists while it starts.
        const string booted = "/run/systemd/system";
        var createdBooted = !Directory.Exists(booted);
        Directory.CreateDirectory(booted);
        try
        {
            const string logDirectory = "/run/podwake";
            Directory.CreateDirectory(logDirectory);
            var log = Path.Combine(logDirectory, $"user-manager-{_user.Uid.ToString(CultureInfo.InvariantCulture)}.log");

            // The shell moves itself into the user's cgroups and then becomes the manager (runuser forks it): it must
            // sit in a cgroup it may write before it starts. setsid -f: its own session, no parent waiting for it.
            const string script = """
                log=$1; shift
                exec </dev/null >>"$log" 2>&1
                while [ "$1" != -- ]; do echo $$ > "$1"; shift; done
                shift
                exec "$@"
                """;
            (await ExternalCommand.RunAsync(
                "setsid",
                [
                    "-f", "/bin/sh", "-c", script, "sh", log, .. procs, "--",
                    "runuser", "-u", _user.Name, "--", "env", $"XDG_RUNTIME_DIR={_user.RuntimeDirectory}", $"HOME={_user.Home}", SystemdPath, "--user",
                ],
                cancellationToken: cancellationToken,
                workingDirectory: "/").ConfigureAwait(false)).ThrowIfFailed($"start the systemd user manager of {_user.Name}");
            await WaitUntilAsync(running: true, StartTimeout, cancellationToken, log).ConfigureAwait(false);
        }
        finally
        {
            if (createdBooted)
            {
                // The manager only needs it while it starts; left behind, other tools would think systemd is PID 1.
                try
                {
                    Directory.Delete(booted);
                }
                catch (IOException)
                {
                    // someone else's manager start put something there meanwhile
                }
            }
        }
    }

    private async Task WaitUntilAsync(bool running, TimeSpan timeout, CancellationToken cancellationToken, string? log = null)
    {
        var started = _time.GetTimestamp();
        while (await IsRunningAsync(cancellationToken).ConfigureAwait(false) != running)
        {
            if (_time.GetElapsedTime(started) > timeout)
            {
                var detail = log is not null && HostFiles.ReadOrNull(log) is { } text ? $"; its output ({log}): {Tail(text)}" : "";
                throw new EnvironmentException(
                    $"Failed to {(running ? "start" : "stop")} the systemd user manager of {_user.Name} within {timeout.TotalSeconds:0} s{detail}");
            }

            await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>user@UID.service's cgroup in each hierarchy systemd uses: the v2 tree (hybrid: unified/) and v1's name=systemd.</summary>
    private List<string> CgroupDirectories()
    {
        var uid = _user.Uid.ToString(CultureInfo.InvariantCulture);
        var relative = $"user.slice/user-{uid}.slice/user@{uid}.service";
        if (File.Exists(Path.Combine(CgroupRoot, "cgroup.controllers")))
        {
            return [Path.Combine(CgroupRoot, relative)];
        }

        return new[] { "unified", "systemd" }
            .Select(h => Path.Combine(CgroupRoot, h))
            .Where(Directory.Exists)
            .Select(h => Path.Combine(h, relative))
            .ToList();
    }

    private async Task EndCgroupAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        var started = _time.GetTimestamp();
        while (true)
        {
            var pids = Directory.EnumerateFiles(directory, "cgroup.procs", SearchOption.AllDirectories)
                .SelectMany(f => File.ReadAllLines(f))
                .Where(l => l.Length > 0)
                .Select(l => int.Parse(l, CultureInfo.InvariantCulture))
                .ToList();
            if (pids.Count == 0)
            {
                break;
            }

            if (_time.GetElapsedTime(started) > UserProcesses.KillLimit)
            {
                throw new IOException($"Failed to end the processes left in {directory}: {string.Join(' ', pids)}");
            }

            foreach (var pid in pids)
            {
                _ = NativeMethods.Kill(pid, SigKill);
            }

            await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        // Deepest first: a cgroup is removed with rmdir once it has no children.
        foreach (var child in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
        {
            Directory.Delete(child);
        }

        Directory.Delete(directory);
        try
        {
            // user-UID.slice, unless something else of the user still lives there.
            Directory.Delete(Path.GetDirectoryName(directory)!);
        }
        catch (IOException)
        {
            // not empty: a session's scope of that user
        }
    }

    private void RequireRoot(string what)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new EnvironmentException(
                $"the systemd user manager of {_user.Name} is not running and only root can {what} it: run `sudo podwake user-manager start {_user.Name}`, "
                + $"or `loginctl enable-linger {_user.Name}` on a host with systemd-logind");
        }
    }

    private static string Tail(string text)
    {
        var lines = text.TrimEnd().Split('\n');
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 5)));
    }
}
