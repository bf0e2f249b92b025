using Podwake.Podman.Wire;

namespace Podwake.Podman;

/// <summary>Running a command inside a running container (the <c>ready: exec</c> probe).</summary>
internal sealed partial class PodmanClient
{
    /// <summary>
    /// Runs <paramref name="command"/> in the container and returns its exit code: exec create, exec start
    /// attached (the multiplexed output is read to the end and dropped), then exec inspect for the code.
    /// Cost on podman 4.3: every REST exec leaves two conmon processes behind for containers.conf's
    /// <c>exit_command_delay</c> (300 s by default) after the command ended, so a fast-polling exec probe piles them up;
    /// prefer tcp/http readiness, or poll exec slowly.
    /// </summary>
    public async Task<int> ExecAsync(string id, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var operation = $"run {string.Join(' ', command)} in container {id}";
        string execId;
        var request = new ExecCreateRequest { Cmd = command, AttachStdout = true, AttachStderr = true };
        using (var content = Json(request, PodmanJsonContext.Default.ExecCreateRequest))
        using (var response = await SendAsync(HttpMethod.Post, $"containers/{Escape(id)}/exec", content, operation, cancellationToken)
            .ConfigureAwait(false))
        {
            execId = (await ReadAsync(response, PodmanJsonContext.Default.IdResponse, operation, cancellationToken).ConfigureAwait(false)).Id;
        }

        // podman hijacks the connection and streams raw output without a length: read until it closes it.
        using (var content = Json(new ExecStartRequest { Detach = false }, PodmanJsonContext.Default.ExecStartRequest))
        using (var response = await SendAsync(HttpMethod.Post, $"exec/{execId}/start", content, operation, cancellationToken,
            Timeout.InfiniteTimeSpan, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(response, operation, cancellationToken).ConfigureAwait(false);
            await using var output = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await output.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        // The session's exit code is recorded when the process exits, just before the stream closes; poll briefly
        // in case the inspect races it.
        for (var attempt = 0; ; attempt++)
        {
            using var response = await SendAsync(HttpMethod.Get, $"exec/{execId}/json", null, operation, cancellationToken)
                .ConfigureAwait(false);
            var inspect = await ReadAsync(response, PodmanJsonContext.Default.ExecInspectResponse, operation, cancellationToken)
                .ConfigureAwait(false);
            if (!inspect.Running || attempt >= 200)
            {
                return inspect.ExitCode;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
