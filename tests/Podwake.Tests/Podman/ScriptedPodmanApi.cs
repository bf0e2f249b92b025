using System.Globalization;
using System.Net;
using System.Text;
using Podwake.Podman;

namespace Podwake.Tests.Podman;

/// <summary>
/// A fake of the libpod REST paths a container workload uses (create, start, inspect, stop, logs, remove), answering
/// from one scripted container's state instead of a podman socket: the <see cref="PodmanClient"/> test seam's handler.
/// </summary>
internal sealed class ScriptedPodmanApi : HttpMessageHandler
{
    public const string ContainerId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly Lock _lock = new();
    private readonly List<string> _requests = [];
    private readonly SemaphoreSlim _inspected = new(0);
    private string _status = "created";
    private bool _running;
    private int _pid;
    private int _exitCode;
    private Exception? _inspectFailure;

    /// <summary>Every request as <c>METHOD path</c> (path relative to the API base, with its query).</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>A client on this fake; disposing it disposes the fake.</summary>
    public PodmanClient Client() => new(this, "/nonexistent/podman.sock");

    /// <summary>The container runs with <paramref name="pid"/> as its PID 1 (on the next start too).</summary>
    public void Running(int pid)
    {
        lock (_lock)
        {
            (_status, _running, _pid) = ("running", true, pid);
        }
    }

    /// <summary>The container's process ended with <paramref name="exitCode"/> and podman cleaned it up.</summary>
    public void Exited(int exitCode)
    {
        lock (_lock)
        {
            (_status, _running, _pid, _exitCode) = ("exited", false, 0, exitCode);
        }
    }

    /// <summary>Inspects throw <paramref name="failure"/> from the transport (null: answer again).</summary>
    public void FailInspects(Exception? failure)
    {
        lock (_lock)
        {
            _inspectFailure = failure;
        }
    }

    /// <summary>Waits until <paramref name="count"/> more inspects than already waited for were answered (or failed).</summary>
    public async Task WaitForInspectsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (var i = 0; i < count; i++)
        {
            await _inspected.WaitAsync(timeout.Token);
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.PathAndQuery;
        var relative = path.StartsWith(PodmanClient.BaseAddress.AbsolutePath, StringComparison.Ordinal)
            ? path[PodmanClient.BaseAddress.AbsolutePath.Length..]
            : path;
        lock (_lock)
        {
            _requests.Add($"{request.Method} {relative}");
        }

        var route = relative.Split('?')[0];
        var method = request.Method.Method;
        return Task.FromResult(route switch
        {
            "containers/create" when method == "POST" => Json(HttpStatusCode.Created, $$"""{"Id":"{{ContainerId}}","Warnings":[]}"""),
            _ when method == "DELETE" && route.StartsWith("containers/", StringComparison.Ordinal) => new HttpResponseMessage(HttpStatusCode.NoContent),
            _ when route.StartsWith("images/", StringComparison.Ordinal) && route.EndsWith("/exists", StringComparison.Ordinal) => new HttpResponseMessage(HttpStatusCode.NoContent),
            $"containers/{ContainerId}/start" when method == "POST" => new HttpResponseMessage(HttpStatusCode.NoContent),
            $"containers/{ContainerId}/stop" when method == "POST" => Stop(),
            $"containers/{ContainerId}/json" when method == "GET" => Inspect(),
            $"containers/{ContainerId}/logs" when method == "GET" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) },
            _ => Json(HttpStatusCode.NotFound, $$"""{"cause":"no such container","message":"no route {{method}} {{route}} in the fake","response":404}"""),
        });
    }

    private HttpResponseMessage Stop()
    {
        lock (_lock)
        {
            (_status, _running, _pid, _exitCode) = ("exited", false, 0, 143);
        }

        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }

    private HttpResponseMessage Inspect()
    {
        try
        {
            lock (_lock)
            {
                if (_inspectFailure is { } failure)
                {
                    throw failure;
                }

                var state = string.Create(
                    CultureInfo.InvariantCulture,
                    $$"""{"Status":"{{_status}}","Running":{{(_running ? "true" : "false")}},"Pid":{{_pid}},"ExitCode":{{_exitCode}}}""");
                return Json(HttpStatusCode.OK, $$"""{"Id":"{{ContainerId}}","Name":"podwake-web","State":{{state}}}""");
            }
        }
        finally
        {
            _inspected.Release();
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
