using System.Net;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Export;

/// <summary>
/// <c>podwake export kube</c> played by the real <c>podman kube play</c>: the pod serves what <c>podwake serve</c> of
/// the same file serves. podman 4.3 publishes each containerPort of a played Deployment on the same host port (on every
/// address) and ignores the Service, so the export stays as it is (no hostPort, which real Kubernetes should not get)
/// and the test's copy of the service gives the container a free port of its own.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ExportRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task HelloExport_PlayedByPodmanKubePlay_ServesWhatServeServes()
    {
        var (name, port, file) = HelloCopy();
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        HttpOutcome served;
        await using (var serve = await ServeProcess.StartServingAsync(file))
        {
            served = await RawHttp.GetAsync(endpoint);
        }

        Assert.Equal(200, served.Status);
        var export = await PodwakeCli.RunAsync("export", "kube", file);
        Assert.True(export.ExitCode == 0, export.ToString());
        var kube = _dir.Write("kube.yaml", export.Stdout);

        await PlayAsync(kube, async () =>
        {
            var played = await GetWhenServedAsync(endpoint);
            Assert.Equal(served.Body, played.Body);
            Assert.Contains("hello from podwake", played.Body, StringComparison.Ordinal);
        });
        Assert.False(await PodExistsAsync($"{name}-pod-0"), "kube play --down left the pod");
    }

    /// <summary>
    /// A <c>pod:</c> service (two containers sharing an emptyDir: busybox httpd serves the token the other one writes):
    /// <c>podwake serve</c> answers the token, then its export (the kube file's Deployment and the Service added) played by
    /// kube play answers the same. The emptyDir has a test-unique name: podman 4.3 makes it a named volume of that name.
    /// </summary>
    [PodmanFact]
    public async Task PodServiceExport_PlayedByPodmanKubePlay_ServesWhatServeServes()
    {
        var image = await TestImages.BusyboxAsync();
        var name = TestNames.Unique();
        var port = FreePorts.Next();
        var token = Guid.NewGuid().ToString("N");
        _dir.Write("pod.yaml", $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{name}}
            spec:
              replicas: 1
              selector:
                matchLabels: {app: {{name}}}
              template:
                metadata:
                  labels: {app: {{name}}}
                spec:
                  containers:
                    - name: web
                      image: {{image}}
                      args: ["/bin/busybox", "httpd", "-f", "-p", "{{port}}", "-h", "/www"]
                      ports: [{containerPort: {{port}}}]
                      volumeMounts: [{name: {{name}}-www, mountPath: /www}]
                    - name: writer
                      image: {{image}}
                      args: ["/bin/busybox", "sh", "-c", "echo {{token}} > /www/index.html && exec /bin/busybox sleep 3600"]
                      volumeMounts: [{name: {{name}}-www, mountPath: /www}]
                  volumes:
                    - name: {{name}}-www
                      emptyDir: {}
            """);
        var file = _dir.Write($"{name}.yaml", $"""
            name: {name}
            pod: pod.yaml
            ports:
              - listen: 127.0.0.1:{port}
                container: {port}
            """);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        HttpOutcome served;
        await using (var serve = await ServeProcess.StartServingAsync(file))
        {
            served = await GetWhenServedAsync(endpoint, body => body.Contains(token, StringComparison.Ordinal));
        }

        var export = await PodwakeCli.RunAsync("export", "kube", file);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("kind: Service", export.Stdout, StringComparison.Ordinal);
        var kube = _dir.Write("kube.yaml", export.Stdout);

        await PlayAsync(kube, async () =>
        {
            var played = await GetWhenServedAsync(endpoint, body => body.Contains(token, StringComparison.Ordinal));
            Assert.Equal(served.Body, played.Body);
            Assert.Equal($"{token}\n", played.Body);
        });
    }

    /// <summary>
    /// A copy of examples/hello/hello.yaml with a test-unique name, every path absolute, and a free port for both the
    /// listener and the container (its httpd is told to listen there).
    /// </summary>
    private (string Name, int Port, string File) HelloCopy()
    {
        var hello = Path.Combine(RepositoryRoot, "examples", "hello");
        var name = TestNames.Unique();
        var port = FreePorts.Next();
        var text = File.ReadAllText(Path.Combine(hello, "hello.yaml"))
            .Replace("name: hello", $"name: {name}\ncommand: [/bin/busybox, httpd, -f, -p, \"{port}\", -h, /www]", StringComparison.Ordinal)
            .Replace("build: .", $"build: {hello}", StringComparison.Ordinal)
            .Replace("./www:/www:ro", $"{hello}/www:/www:ro", StringComparison.Ordinal)
            .Replace("127.0.0.1:8080", $"127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("container: 8080", $"container: {port}", StringComparison.Ordinal)
            .Replace("tcp: 8080", $"tcp: {port}", StringComparison.Ordinal);
        Assert.DoesNotContain("8080", text, StringComparison.Ordinal);
        return (name, port, _dir.Write($"{name}.yaml", text));
    }

    /// <summary>Runs <c>podman kube play FILE</c>, then <paramref name="check"/>, and always <c>podman kube play --down FILE</c>.</summary>
    private static async Task PlayAsync(string kube, Func<Task> check)
    {
        try
        {
            var play = await PodwakeCli.RunProgramAsync("podman", "kube", "play", kube);
            Assert.True(play.ExitCode == 0, $"podman kube play {kube}: {play}\n{File.ReadAllText(kube)}");
            await check();
        }
        finally
        {
            var down = await PodwakeCli.RunProgramAsync("podman", "kube", "play", "--down", kube);
            Assert.True(down.ExitCode == 0, $"podman kube play --down: {down}");
        }
    }

    /// <summary>The first 200 response (with a body <paramref name="complete"/> accepts) within 30 s: the pod's server starts after kube play returns.</summary>
    private static async Task<HttpOutcome> GetWhenServedAsync(IPEndPoint endpoint, Func<string, bool>? complete = null)
    {
        HttpOutcome last = new(HttpOutcomeKind.Refused, 0, "");
        await Eventually.TrueAsync(
            async () =>
            {
                last = await RawHttp.GetAsync(endpoint, timeout: TimeSpan.FromSeconds(5));
                return last.Status == 200 && (complete?.Invoke(last.Body) ?? true);
            },
            TimeSpan.FromSeconds(30),
            () => $"the played pod did not answer on {endpoint}: last {last} {last.Body}");
        return last;
    }

    private static async Task<bool> PodExistsAsync(string pod) =>
        (await PodwakeCli.RunProgramAsync("podman", "pod", "exists", pod)).ExitCode == 0;

    private static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "podwake.slnx")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"no podwake.slnx above {AppContext.BaseDirectory}");
        }
    }
}
