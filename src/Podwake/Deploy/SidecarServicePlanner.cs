using Podwake.Host;
using Podwake.Sidecars;
using Podwake.Specs;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// <see cref="DeployPlanner"/>'s part for a <c>sidecar:</c> service: no container of its own (sync makes one per key), so
/// only the image (built or pulled now: a call never pulls), its two units and spec copy, the wrapper and the state folder.
/// </summary>
internal static class SidecarServicePlanner
{
    /// <summary>The units of the other kind of service under the same name: deploy does not turn one into the other.</summary>
    public static Diagnostic? KindProblem(ServiceSpec spec, DeployTarget target)
    {
        var sidecar = spec.Sidecar is not null;
        var other = sidecar ? UnitGenerator.SocketUnitName(spec.Name) : UnitGenerator.SidecarPathUnitName(spec.Name);
        if (target.CreateUser || !HostFiles.Exists(Path.Combine(target.Manager.UnitDirectory, other), target.User))
        {
            return null;
        }

        var (was, now) = sidecar ? ("a service with ports:", "a side-car service") : ("a side-car service", "a service with ports:");
        return new Diagnostic(
            spec.Sidecar?.Location ?? spec.Location,
            $"{spec.Name} is deployed as {was} ({other}); undeploy it first (podwake undeploy {spec.Name}), then deploy it as {now}");
    }

    /// <summary>
    /// The wrapper that would go to <c>sidecar.wrapper</c> and the state folder; a file there that is not podwake's
    /// wrapper is a problem (deploy never overwrites it: <see cref="SidecarInstall.CheckWrapperPath"/>).
    /// </summary>
    public static (SidecarInstallPlan Plan, Diagnostic? Problem) Install(ServiceSpec spec, SidecarPaths paths)
    {
        var sidecar = spec.Sidecar!;
        var text = WrapperScript.Render(spec, paths);
        Diagnostic? problem = null;
        string? existing = null;
        try
        {
            SidecarInstall.CheckWrapperPath(sidecar.Wrapper);
            existing = File.Exists(sidecar.Wrapper) ? File.ReadAllText(sidecar.Wrapper) : null;
        }
        catch (Exception ex) when (ex is EnvironmentException or IOException or UnauthorizedAccessException or UnsafePathException)
        {
            problem = new Diagnostic(sidecar.Location, ex is EnvironmentException ? ex.Message : $"Failed to read the wrapper {sidecar.Wrapper}: {ex.Message}");
        }

        var change = existing is null && problem is null ? FileChange.Create : existing == text ? FileChange.Unchanged : FileChange.Update;
        return (new SidecarInstallPlan(sidecar.Wrapper, text, change, paths.Directory, Directory.Exists(paths.Directory)), problem);
    }

    /// <summary>Image and files as for any service, the wrapper and state folder; no container of its own. A wrapper path deploy may not write is added to <paramref name="problems"/>.</summary>
    public static async Task<ServicePlan> PlanAsync(DeployPlanner planner, ServiceSpec spec, DeployTarget target, List<Diagnostic> problems, CancellationToken cancellationToken)
    {
        var (install, problem) = Install(spec, ServiceUnits.StatePaths(spec.Name, planner.GeneratorOptions(target), planner.HomeOf(target)));
        if (problem is not null)
        {
            problems.Add(problem);
        }

        var (files, _, _) = planner.PlanFiles(spec, target, null);
        var imageId = target.CreateUser ? null : await target.Podman.ImageIdAsync(spec.Image!, cancellationToken).ConfigureAwait(false);
        var image = spec.Build is not null ? ImageAction.Build : imageId is null ? ImageAction.Pull : ImageAction.Present;
        return new ServicePlan(spec, target, null, files, image, imageId, ContainerAction.Keep, false, false) { Sidecar = install };
    }
}
