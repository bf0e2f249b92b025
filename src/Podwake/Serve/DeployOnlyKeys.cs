using Podwake.Host;
using Podwake.Specs;

namespace Podwake.Serve;

/// <summary>
/// Keys that only <c>podwake deploy</c> can honour: serve runs every service as the user who runs it, in one process,
/// and has no system unit to forward an outside address. Refused with their location, never silently ignored.
/// </summary>
internal static class DeployOnlyKeys
{
    public static IEnumerable<Diagnostic> Problems(ServiceSpec spec)
    {
        if (spec.RunAs is { } user)
        {
            yield return new Diagnostic(
                spec.RunAsLocation ?? spec.Location,
                $"run_as: {user} needs podwake deploy (the service then runs in that user's systemd manager); podwake serve runs every service as you: remove run_as: to serve it, or use podwake deploy");
        }

        if (CgroupLimits.RootlessProblem(!Environment.IsPrivilegedProcess, !spec.Resources.IsEmpty, "serve it as root") is { } limits)
        {
            yield return new Diagnostic(spec.Location, limits);
        }

        if (spec.Expose.Count > 0)
        {
            yield return new Diagnostic(
                spec.Expose[0].Location,
                "expose: needs podwake deploy (a system socket unit forwards the outside address); remove expose: to serve it, or use podwake deploy");
        }
    }
}
