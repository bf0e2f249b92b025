using Podwake.Host;
using Podwake.Podman;

namespace Podwake.Deploy;

/// <summary>
/// The podman CLI as the deploy target's user: this process's own, or another user's through runuser with the
/// environment rootless podman needs (XDG_RUNTIME_DIR, HOME) and a working directory it may enter.
/// </summary>
/// <remarks>Deploy-time only (build, pull, create, inspect); a wake goes through systemd, never through here.</remarks>
internal sealed class TargetPodman
{
    private readonly UnixUser? _user;

    /// <param name="user">Run as this user (root only); null = this process's user.</param>
    public TargetPodman(UnixUser? user)
    {
        _user = user;
    }

    /// <param name="line">Gets each line podman prints as it comes (a pull's or a build's steps).</param>
    public Task<ExternalCommandResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default, Action<string>? line = null)
    {
        if (_user is { } user)
        {
            return ExternalCommand.RunAsync(
                "runuser",
                ["-u", user.Name, "--", "env", $"XDG_RUNTIME_DIR={user.RuntimeDirectory}", $"HOME={user.Home}", PodmanBinary.Installed, .. arguments],
                cancellationToken: cancellationToken,
                workingDirectory: "/",
                line: line);
        }

        // Root's own podman outside a login session still needs a runtime directory for conmon's files: /run.
        return ExternalCommand.RunAsync(PodmanBinary.Installed, arguments, cancellationToken: cancellationToken, workingDirectory: "/", line: line);
    }

    /// <summary>The image's ID, or null when it is not in the store.</summary>
    public async Task<string?> ImageIdAsync(string image, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["image", "inspect", "--format", "{{.Id}}", image], cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Stdout.Trim() : null;
    }

    /// <summary>The value of <paramref name="label"/> on the container ("" when unset), or null when there is no such container.</summary>
    public async Task<string?> ContainerLabelAsync(string container, string label, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["container", "inspect", "--format", $"{{{{index .Config.Labels \"{label}\"}}}}", container], cancellationToken)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }

        var value = result.Stdout.Trim();
        return value == "<no value>" ? "" : value;
    }

    public async Task<string?> ContainerIdAsync(string container, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["container", "inspect", "--format", "{{.Id}}", container], cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Stdout.Trim() : null;
    }

    public async Task RemoveContainerAsync(string container, CancellationToken cancellationToken = default) =>
        (await RunAsync(["rm", "--force", "--ignore", "--time", "0", container], cancellationToken).ConfigureAwait(false))
            .ThrowIfFailed($"remove the container {container}");

}
