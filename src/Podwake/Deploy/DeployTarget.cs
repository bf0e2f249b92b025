using Podwake.Host;
using Podwake.Systemd;

namespace Podwake.Deploy;

/// <summary>Where one service goes: which manager, run by whom, and whether podman runs rootless there.</summary>
/// <param name="Manager">The systemd manager the units go into.</param>
/// <param name="User">
/// The user whose manager it is and who runs podman, when that is not this process's own user (a <c>run_as:</c> service
/// deployed by root); null otherwise. For a user to be created, its planned account (UID -1 until useradd ran).
/// </param>
/// <param name="CreateUser">The <c>run_as:</c> account does not exist yet; deploy creates it.</param>
/// <param name="Rootless">podman runs as a user other than root.</param>
internal sealed record DeployTarget(SystemdManager Manager, UnixUser? User, bool CreateUser, bool Rootless)
{
    /// <summary>What the index and messages call it: <c>system</c>, <c>root</c> or the user's name.</summary>
    public string Describe() => Manager.IsSystem ? "the system manager" : $"the user manager of {User?.Name ?? Environment.UserName}";

    /// <summary>The index value (<c>/etc/podwake/deployed/NAME</c>): <c>system</c>, or the user's name.</summary>
    public string IndexValue => Manager.IsSystem ? DeployedIndex.System : User?.Name ?? Environment.UserName;

    public Systemctl Systemctl => new(Manager);

    public TargetPodman Podman => new(User);
}
