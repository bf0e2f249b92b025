using System.Globalization;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Serve;

/// <summary>
/// A second <c>podwake serve</c> of the same file or the same service name, and a serve and a deploy of one name: the
/// second comer is refused (exit 2, naming the owner) and never touches the first one's port or container.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class SecondInstanceTests : IDisposable
{
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task SameFileTwice_SecondExits2_FirstServesEveryRequest()
    {
        await TestImages.BusyboxAsync();
        var svc = TestServiceFile.Create(_dir.Path);
        await using var first = await ServeProcess.StartServingAsync(svc.File);
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);

        await using var second = ServeProcess.Start("serve", svc.File);
        var exit = await ExitOrServingAsync(second);

        var outcomes = new List<HttpOutcome>();
        for (var i = 0; i < 100; i++)
        {
            outcomes.Add(await RawHttp.GetAsync(svc.Endpoint, timeout: TimeSpan.FromSeconds(30)));
        }

        var ok = outcomes.Count(o => o.Status == 200);
        Assert.True(exit == 2, $"the second serve of the same file did not exit 2 (exit {exit?.ToString(CultureInfo.InvariantCulture) ?? "none: it serves"}); {ok}/100 requests answered 200\n{second.Stderr}");
        // The name is checked first (ServiceNameLock), so the refusal names the first serve; the exclusive bind behind it
        // is ListenSocketTests' (before: both bound the port with SO_REUSEPORT and split the connections).
        Assert.Contains($"service {svc.Name} is already served by podwake serve (pid {first.Pid})", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(100, ok);
        Assert.False(first.HasExited);
        // Refused before it created anything: nothing to stop or remove (it used to log "Stopping: ... removing containers").
        Assert.DoesNotContain("removing containers", second.Stderr, StringComparison.Ordinal);
    }

    [PodmanFact]
    public async Task SameNameOtherPort_SecondExits2NamingThePid_FirstContainerUntouched()
    {
        await TestImages.BusyboxAsync();
        var svc = TestServiceFile.Create(_dir.Path);
        await using var first = await ServeProcess.StartServingAsync(svc.File);
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
        var before = await ContainerAsync(svc.Container);

        using var otherDir = new TempDirectory();
        var other = Path.Combine(otherDir.Path, "other.yaml");
        File.WriteAllText(other, File.ReadAllText(svc.File).Replace($"127.0.0.1:{svc.Endpoint.Port}", $"127.0.0.1:{FreePorts.Next()}", StringComparison.Ordinal));
        await using var second = ServeProcess.Start("serve", other);
        var exit = await ExitOrServingAsync(second);

        var after = await ContainerAsync(svc.Container);
        Assert.True(exit == 2, $"the second serve of name {svc.Name} did not exit 2 (exit {exit?.ToString(CultureInfo.InvariantCulture) ?? "none: it serves"}); container before {before}, after {after}\n{second.Stderr}");
        Assert.Contains($"service {svc.Name} is already served by podwake serve (pid {first.Pid})", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.EndsWith(" true", after, StringComparison.Ordinal);
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
    }

    [UserManagerFact]
    public async Task DeployedName_Serve_Exits2AndLeavesTheDeployment()
    {
        await using var deployed = new DeployedService();
        deployed.Write(idle: "30s");
        await deployed.DeployOrFailAsync();
        Assert.Equal(200, (await RawHttp.GetAsync(deployed.Endpoint)).Status);
        var before = await deployed.ContainerIdAsync();

        using var otherDir = new TempDirectory();
        var other = Path.Combine(otherDir.Path, "other.yaml");
        File.WriteAllText(other, File.ReadAllText(deployed.File).Replace($"127.0.0.1:{deployed.Port}", $"127.0.0.1:{FreePorts.Next()}", StringComparison.Ordinal));
        await using var serve = ServeProcess.Start("serve", other);
        var exit = await ExitOrServingAsync(serve);

        Assert.True(exit == 2, $"serve of deployed {deployed.Name} did not exit 2 (exit {exit?.ToString(CultureInfo.InvariantCulture) ?? "none: it serves"})\n{serve.Stderr}");
        Assert.Contains($"service {deployed.Name} is deployed in", serve.Stderr, StringComparison.Ordinal);
        Assert.Contains("undeploy it first", serve.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await deployed.ContainerIdAsync());
        Assert.Equal(200, (await RawHttp.GetAsync(deployed.Endpoint)).Status);
    }

    [UserManagerFact]
    public async Task ServedName_Deploy_Exits2AndTouchesNothing()
    {
        // Disposed after the serve (declared first): its undeploy then finds nothing of the service.
        await using var deployed = new DeployedService();
        deployed.Write(idle: "30s");
        await TestImages.BusyboxAsync();

        using var serveDir = new TempDirectory();
        var served = Path.Combine(serveDir.Path, "served.yaml");
        var servedPort = FreePorts.Next();
        File.WriteAllText(served, File.ReadAllText(deployed.File).Replace($"127.0.0.1:{deployed.Port}", $"127.0.0.1:{servedPort}", StringComparison.Ordinal));
        await using var serve = await ServeProcess.StartServingAsync(served);
        var servedEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, servedPort);
        Assert.Equal(200, (await RawHttp.GetAsync(servedEndpoint)).Status);
        var before = await deployed.ContainerIdAsync();

        var result = await deployed.DeployAsync();

        Assert.True(result.ExitCode == 2, $"deploy of a served name did not exit 2: {result}");
        Assert.Contains($"service {deployed.Name} is already served by podwake serve (pid {serve.Pid})", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await deployed.ContainerIdAsync());
        Assert.Equal(200, (await RawHttp.GetAsync(servedEndpoint)).Status);
        var unitDirectory = Environment.IsPrivilegedProcess ? "/root/.config/systemd/user" : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config/systemd/user");
        Assert.False(File.Exists(Path.Combine(unitDirectory, $"podwake-{deployed.Name}.socket")), "deploy wrote the socket unit of a served name");
    }

    [PodmanFact]
    public async Task ServedName_Undeploy_Exits2AndLeavesTheServedContainer()
    {
        var svc = TestServiceFile.Create(_dir.Path);
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
        var before = await ContainerAsync(svc.Container);

        var result = await PodwakeCli.RunAsync("undeploy", svc.Name);

        Assert.True(result.ExitCode == 2, $"undeploy of a served name did not exit 2: {result}");
        Assert.Contains($"service {svc.Name} is already served by podwake serve (pid {serve.Pid})", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await ContainerAsync(svc.Container));
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
    }

    /// <summary>Waits until <paramref name="serve"/> exits (its code) or serves (null), at most a minute.</summary>
    private static async Task<int?> ExitOrServingAsync(ServeProcess serve)
    {
        var deadline = DateTime.UtcNow + ExitLimit;
        while (DateTime.UtcNow < deadline)
        {
            if (serve.HasExited)
            {
                return await serve.WaitForExitAsync(TimeSpan.FromSeconds(5));
            }

            if (serve.Stdout.Contains("podwake: serving", StringComparison.Ordinal))
            {
                return null;
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <summary>The container's ID and whether it runs, e.g. <c>3f2a... true</c>; empty when there is none.</summary>
    private static async Task<string> ContainerAsync(string name)
    {
        var result = await PodwakeCli.RunProgramAsync("podman", "container", "inspect", "--format", "{{.Id}} {{.State.Running}}", name);
        return result.ExitCode == 0 ? result.Stdout.Trim() : "";
    }
}
