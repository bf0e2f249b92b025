namespace Podwake.Deploy;

/// <summary>What deploy installs for a <c>sidecar:</c> service beside its units: the wrapper and the state folder.</summary>
/// <param name="Wrapper">Where the wrapper goes (<c>sidecar.wrapper</c>).</param>
/// <param name="WrapperText">The wrapper deploy writes there.</param>
/// <param name="WrapperChange">Create, update (an older podwake wrapper) or unchanged.</param>
/// <param name="StateDirectory">The service's state folder (<c>Sidecars.SidecarPaths</c>) for the account it is deployed for.</param>
/// <param name="StateExists">The state folder is there already (its keys are kept: sync runs them again).</param>
internal sealed record SidecarInstallPlan(string Wrapper, string WrapperText, FileChange WrapperChange, string StateDirectory, bool StateExists)
{
    public bool Changes => WrapperChange != FileChange.Unchanged || !StateExists;
}
