using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A real registry for one test: Debian's <c>docker-registry serve</c> on a loopback port of its own, storing into its
/// own temp folder, optionally behind basic auth (an htpasswd file, bcrypt). Plain HTTP: scripts/setup-dev marks the ports
/// <see cref="FirstPort"/>..<see cref="LastPort"/> insecure in /etc/containers/registries.conf.d/podwake-tests.conf, so
/// podman (and podwake, which reads registries.conf as podman does) talk to it without <c>--tls-verify=false</c>.
/// Disposing kills it and deletes its storage. Runs as whoever runs the tests (root or the rootless test user).
/// </summary>
internal sealed class TestRegistry : IAsyncDisposable
{
    public const string Program = "docker-registry";

    /// <summary>The loopback ports scripts/setup-dev lists as insecure registries; keep both in sync.</summary>
    public const int FirstPort = 5601;

    public const int LastPort = 5616;

    private readonly TempDirectory _directory;
    private readonly Process _process;
    private readonly StringBuilder _output;

    private TestRegistry(TempDirectory directory, Process process, StringBuilder output, int port, string? user, string? password)
    {
        _directory = directory;
        _process = process;
        _output = output;
        Address = $"127.0.0.1:{port}";
        User = user;
        Password = password;
    }

    /// <summary>host:port, as in an image reference: <c>127.0.0.1:5601</c>.</summary>
    public string Address { get; }

    /// <summary>The basic-auth user, or null for an open registry.</summary>
    public string? User { get; }

    public string? Password { get; }

    /// <summary>What the registry printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The full reference of <paramref name="nameAndTag"/> in this registry: <c>127.0.0.1:5601/NAME:TAG</c>.</summary>
    public string Reference(string nameAndTag) => $"{Address}/{nameAndTag}";

    /// <summary>
    /// Starts a registry on a free port of the reserved range and waits until <c>GET /v2/</c> answers (200, or 401 with
    /// auth). With <paramref name="user"/> and <paramref name="password"/> it requires basic auth.
    /// </summary>
    public static async Task<TestRegistry> StartAsync(string? user = null, string? password = null, CancellationToken cancellationToken = default)
    {
        if (RegistryAvailability.SkipReason is { } reason)
        {
            throw new InvalidOperationException($"cannot start a test registry: {reason}");
        }

        if ((user is null) != (password is null))
        {
            throw new ArgumentException("give both a user and a password, or neither");
        }

        var directory = new TempDirectory();
        try
        {
            string? htpasswd = null;
            if (user is not null)
            {
                htpasswd = await WriteHtpasswdAsync(directory, user, password!);
            }

            // Tests run in parallel collections, and other test runs may share the host: start at a random port of
            // the range, and move on when the port is taken, also when another process took it after our probe.
            var offset = Random.Shared.Next(LastPort - FirstPort + 1);
            var failures = new StringBuilder();
            for (var i = 0; i <= LastPort - FirstPort; i++)
            {
                var port = FirstPort + ((offset + i) % (LastPort - FirstPort + 1));
                if (!IsFree(port))
                {
                    continue;
                }

                var registry = await TryStartAsync(directory, port, htpasswd, user, password, cancellationToken);
                if (registry.Started is { } started)
                {
                    return started;
                }

                failures.AppendLine($"port {port}: {registry.Failure}");
            }

            throw new InvalidOperationException(
                $"no test registry could start on 127.0.0.1:{FirstPort}-{LastPort} (all in use?):\n{failures}");
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Tags <paramref name="localImage"/> as <c>ADDRESS/NAME:TAG</c> and pushes it with podman (as whoever runs the tests);
    /// returns the reference and the manifest digest podman pushed. The local tag stays: remove it with
    /// <see cref="RemoveLocalAsync"/>.
    /// </summary>
    public async Task<PushedImage> PushAsync(string localImage, string nameAndTag, string? authFile = null)
    {
        var reference = Reference(nameAndTag);
        await PodmanOrFailAsync("tag", localImage, reference);
        var digestFile = Path.Join(_directory.Path, $"digest-{Guid.NewGuid():N}");
        string[] auth = authFile is null ? [] : ["--authfile", authFile];
        await PodmanOrFailAsync(["push", "--digestfile", digestFile, .. auth, reference]);
        return new PushedImage(reference, (await File.ReadAllTextAsync(digestFile)).Trim());
    }

    /// <summary>
    /// Pushes <paramref name="localImage"/> as <c>ADDRESS/NAME:TAG</c> as someone else would (another host, a CI job):
    /// the local tag is put back on the image it named before (podman push moves it), or taken off when there was none,
    /// so the host gets the new image only by pulling it, which records the registry's digest.
    /// </summary>
    public async Task<PushedImage> PushAsHostAsync(string localImage, string nameAndTag, string? authFile = null)
    {
        var reference = Reference(nameAndTag);
        var before = (await PodwakeCli.RunProgramAsync("podman", "image", "inspect", "--format", "{{.Id}}", reference)).Stdout.Trim();
        var pushed = await PushAsync(localImage, nameAndTag, authFile);
        if (before.Length > 0)
        {
            await PodmanOrFailAsync("tag", before, reference);
        }
        else
        {
            await RemoveLocalAsync(reference);
        }

        return pushed;
    }

    /// <summary>Removes the local copy of a reference this registry's tests created (only that tag; never fails).</summary>
    public static async Task RemoveLocalAsync(string reference) =>
        await PodwakeCli.RunProgramAsync("podman", "rmi", "--ignore", reference);

    /// <summary>
    /// Logs in to this registry (its user and password) with <c>podman login --authfile</c>, which writes
    /// <paramref name="authFile"/> as podman's auth.json for this registry.
    /// </summary>
    public async Task LoginAsync(string authFile)
    {
        if (User is null)
        {
            throw new InvalidOperationException("this registry has no basic auth: there is nothing to log in to");
        }

        await PodmanOrFailAsync("login", "--authfile", authFile, "--username", User, "--password", Password!, Address);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        finally
        {
            _process.Dispose();
            _directory.Dispose();
        }
    }

    private static async Task<string> WriteHtpasswdAsync(TempDirectory directory, string user, string password)
    {
        var result = await PodwakeCli.RunProgramAsync("htpasswd", "-Bbn", user, password);
        Assert.True(result.ExitCode == 0, $"htpasswd -Bbn failed: {result}");
        return directory.Write("htpasswd", result.Stdout.Trim() + "\n");
    }

    private static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<(TestRegistry? Started, string? Failure)> TryStartAsync(
        TempDirectory directory, int port, string? htpasswd, string? user, string? password, CancellationToken cancellationToken)
    {
        var storage = directory.CreateDirectory($"storage-{port}");
        var auth = htpasswd is null ? "" : $"""
            auth:
              htpasswd:
                realm: podwake-tests
                path: {htpasswd}
            """;
        var config = directory.Write($"config-{port}.yml", $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {storage}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
              secret: {Guid.NewGuid():N}
            {auth}
            """);

        var start = new ProcessStartInfo(Program, ["serve", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new TestRegistry(directory, process, output, port, user, password);

        var expected = htpasswd is null ? HttpStatusCode.OK : HttpStatusCode.Unauthorized;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        string last = "no answer yet";
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken);
                var exited = $"docker-registry exited {process.ExitCode}: {registry.Output.Trim()}";
                process.Dispose();
                return (null, exited);
            }

            // Only once it says it listens is the port ours: before that, GET /v2/ may reach whoever else holds the
            // port (another run's registry that won the race answers 200 too, a stranger may never answer).
            if (!registry.Output.Contains($"listening on {registry.Address}", StringComparison.Ordinal))
            {
                await Task.Delay(20, cancellationToken);
                continue;
            }

            try
            {
                using var response = await http.GetAsync($"http://{registry.Address}/v2/", cancellationToken);
                if (response.StatusCode == expected)
                {
                    return (registry, null);
                }

                last = $"GET /v2/ answered {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = e.Message;
            }

            await Task.Delay(50, cancellationToken);
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(CancellationToken.None);
        process.Dispose();
        return (null, $"not ready within 20 s ({last}): {registry.Output.Trim()}");
    }

    private static async Task PodmanOrFailAsync(params string[] arguments)
    {
        var result = await PodwakeCli.RunProgramAsync("podman", arguments);
        Assert.True(result.ExitCode == 0, $"podman {string.Join(' ', arguments)} failed: {result}");
    }
}
