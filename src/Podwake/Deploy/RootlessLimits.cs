using System.Globalization;
using Podwake.Host;
using Podwake.Specs;

namespace Podwake.Deploy;

/// <summary>What a rootless target cannot do that a service asks for: found when deploy plans, before anything changes.</summary>
internal static class RootlessLimits
{
    /// <param name="me">Who runs deploy: the target's account when the target names none.</param>
    public static IEnumerable<Diagnostic> Problems(ServiceSpec spec, DeployTarget target, UnixUser me)
    {
        if (CgroupLimits.RootlessProblem(target.Rootless, !spec.Resources.IsEmpty, "deploy it as root (without run_as:)") is { } limits)
        {
            yield return new Diagnostic(spec.Location, limits);
        }

        if (!target.Rootless)
        {
            yield break;
        }

        // A user manager cannot chown a socket file to another account: its socket unit would fail to start.
        var account = target.User?.Name ?? me.Name;
        var uid = (target.User?.Uid ?? me.Uid).ToString(CultureInfo.InvariantCulture);
        foreach (var port in spec.Ports.Where(p => p.Unix?.User is { } user && user != account && user != uid))
        {
            yield return new Diagnostic(
                port.Location,
                $"owner: {port.Unix!.User} is another account, and a rootless service's socket file can only belong to its own ({account}); "
                + "remove the user from owner: (a group you are in may stay), or deploy as root");
        }
    }
}
