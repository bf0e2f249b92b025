using Podwake.Host;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// The deployed services a caller manages, found from their spec copies (what the activator reads): a user's own
/// (<c>~/.config/podwake/services</c>); for root also the system manager's (<c>/etc/podwake/services</c>) and every
/// <c>run_as:</c> service root deployed into another user's manager (<see cref="DeployedIndex"/>).
/// </summary>
internal static class DeployedServices
{
    public static async Task<IReadOnlyList<DeployedSpec>> ForCallerAsync(UnixUser me, Action<string> warn, CancellationToken cancellationToken)
    {
        var found = new List<DeployedSpec>();
        if (!me.IsRoot)
        {
            Add(found, new DeployTarget(SystemdManager.CurrentUser(), null, false, Rootless: true), null, warn);
            return found;
        }

        Add(found, new DeployTarget(new SystemdManager(false, null, me.Home, DeployedStatus.RootUserRuntimeDirectory), null, false, Rootless: false), null, warn);
        if (SystemdHost.IsBooted)
        {
            Add(found, new DeployTarget(SystemdManager.System, null, false, Rootless: false), null, warn);
        }

        if (Directory.Exists(DeployedIndex.Directory))
        {
            foreach (var file in Directory.EnumerateFiles(DeployedIndex.Directory).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                var owner = DeployedIndex.Read(name);
                if (owner is null || owner == DeployedIndex.System || owner == me.Name || found.Any(s => s.Spec.Name == name))
                {
                    continue;
                }

                if (await UnixUser.FindAsync(owner, cancellationToken).ConfigureAwait(false) is not { } user)
                {
                    warn($"{name}: deployed for user {owner}, who no longer exists; skipped");
                    continue;
                }

                try
                {
                    // Root reads below the user's home: nothing there may be a link (UserHome).
                    UserHome.Check(user);
                }
                catch (Exception ex) when (ex is UnsafePathException or EnvironmentException)
                {
                    warn($"{name}: skipped: {ex.Message}");
                    continue;
                }

                var target = new DeployTarget(SystemdManager.OfUser(user.Name, user.Uid, user.Home), user, false, Rootless: true);
                Add(found, target, name, warn);
            }
        }

        return found;
    }

    /// <summary>The services of <paramref name="target"/>'s manager (only <paramref name="only"/> when given).</summary>
    private static void Add(List<DeployedSpec> found, DeployTarget target, string? only, Action<string> warn)
    {
        var directory = SpecCopy.Directory(target.Manager.ConfigDirectory);
        if (!Directory.Exists(directory))
        {
            return;
        }

        var files = only is null
            ? Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal)
            : new[] { SpecCopy.PathFor(target.Manager.ConfigDirectory, only) }.Where(File.Exists);
        foreach (var file in files)
        {
            var loaded = SpecLoader.Load([file]);
            if (!loaded.Succeeded || loaded.Services.Count != 1)
            {
                warn($"{Path.GetFileNameWithoutExtension(file)}: skipped: its spec copy {file} does not load ({string.Join("; ", loaded.Diagnostics.Select(d => d.ToString()))}): run podwake deploy again");
                continue;
            }

            if (!found.Any(s => s.Spec.Name == loaded.Services[0].Name))
            {
                found.Add(new DeployedSpec(loaded.Services[0], target));
            }
        }
    }
}
