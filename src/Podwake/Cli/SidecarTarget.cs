using Podwake.Deploy;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Sidecars;
using Podwake.Specs;

namespace Podwake.Cli;

/// <summary>What the <c>sidecar</c> subcommands share: the name's check, its state folder, podman, the deployed spec.</summary>
internal static class SidecarTarget
{
    /// <summary>The state folder of <paramref name="name"/>, or null after printing why not (exit 1).</summary>
    public static async Task<SidecarPaths?> PathsAsync(string name)
    {
        if (!ServiceParser.IsValidName(name))
        {
            await Console.Error.WriteLineAsync($"podwake: error: \"{name}\" is not a service name; names are 1 to 48 lowercase letters, digits and '-'");
            return null;
        }

        var paths = SidecarPaths.ForCurrentUser(name);
        if (!Directory.Exists(paths.Directory))
        {
            await Console.Error.WriteLineAsync($"podwake: error: no sidecar: service named {name} is deployed or served by this user ({paths.Directory} does not exist)");
            return null;
        }

        return paths;
    }

    /// <summary>The deployed spec copy of <paramref name="name"/> (this user's manager, or root's system one), or null.</summary>
    public static async Task<ServiceSpec?> DeployedSpecAsync(string name, CancellationToken cancellationToken)
    {
        var me = await UnixUser.CurrentAsync(cancellationToken);
        var deployed = await DeployedServices.ForCallerAsync(me, _ => { }, cancellationToken);
        return deployed.FirstOrDefault(d => d.Spec.Name == name && d.Target.User is null)?.Spec;
    }

    public static Task<PodmanService> PodmanAsync(CancellationToken cancellationToken) => PodmanService.ConnectAsync(null, cancellationToken);

    /// <summary>Keys and arguments are the callers' text: control characters are shown escaped, never sent to the terminal.</summary>
    public static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
