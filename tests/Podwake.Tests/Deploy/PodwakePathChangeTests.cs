using Podwake.Deploy;
using Podwake.Host;
using Podwake.Specs;
using Podwake.Systemd;
using Xunit;

namespace Podwake.Tests.Deploy;

/// <summary>
/// A redeploy by another podwake binary (a checkout's build before, the installed copy now): the units that name the
/// old path are rewritten, and nothing that runs is restarted for that alone.
/// </summary>
public sealed class PodwakePathChangeTests : IDisposable
{
    private const string OldPath = "/work/checkout/artifacts/publish/podwake";
    private const string NewPath = "/usr/local/lib/podwake/podwake";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void RedeployWithInstalledBinary_UpdatesTheActivatorUnit_RestartsNothing()
    {
        var (spec, home) = Service("idle: 30s");
        Install(Plan(spec, home, OldPath));

        var plan = Plan(spec, home, NewPath);

        var activator = Assert.Single(plan.Files, f => f.Change == FileChange.Update);
        Assert.Equal($"podwake-{spec.Name}.service", Path.GetFileName(activator.Path));
        Assert.True(activator.OnlyPodwakePath);
        Assert.Contains($"ExecStart={NewPath} activate {spec.Name}", activator.Content, StringComparison.Ordinal);
        Assert.True(plan.ChangesAnything);
        Assert.False(plan.RestartsRunning);
    }

    [Fact]
    public void RedeployWithInstalledBinaryAndAChange_RestartsWhatRuns()
    {
        var (spec, home) = Service("idle: 30s");
        Install(Plan(spec, home, OldPath));
        var (changed, _) = Service("idle: 45s");

        var plan = Plan(changed, home, NewPath);

        // idle: is read by the activator from the spec copy: that changed, and the activator must restart to see it.
        Assert.Contains(plan.Files, f => f.Change == FileChange.Update && !f.IsUnit && f.Path.EndsWith("pathchange.yaml", StringComparison.Ordinal));
        Assert.True(plan.RestartsRunning);
    }

    [Fact]
    public void RedeploySamePath_Unchanged()
    {
        var (spec, home) = Service("idle: 30s");
        Install(Plan(spec, home, NewPath));

        var plan = Plan(spec, home, NewPath);

        Assert.All(plan.Files.Where(f => f.Path.StartsWith(home, StringComparison.Ordinal)), f => Assert.Equal(FileChange.Unchanged, f.Change));
        Assert.False(plan.RestartsRunning);
    }

    [Theory]
    [InlineData("ExecStart=/a/podwake activate x\n", "ExecStart=/b/podwake activate x\n", true)]
    [InlineData("ExecStart=\"/a b/podwake\" activate x\n", "ExecStart=/b/podwake activate x\n", true)]
    [InlineData("ExecStart=/a/podwake network up x\nExecStop=/a/podwake network down x\n", "ExecStart=/b/podwake network up x\nExecStop=/b/podwake network down x\n", true)]
    [InlineData("ExecStart=/a/podwake update", "ExecStart=/b/podwake update", true)]
    [InlineData("ExecStart=/a/podwake activate x\n", "ExecStart=/a/podwake activate x\n", false)]
    [InlineData("ExecStart=/a/podwake activate x\n", "ExecStart=/b/podwake activate y\n", false)]
    [InlineData("ExecStart=/a/podwake activate x\nTimeoutStopSec=10\n", "ExecStart=/b/podwake activate x\nTimeoutStopSec=20\n", false)]
    [InlineData("ExecStart=/a/podwake activate x\n", "ExecStart=/b/podwake activate x\nKillMode=mixed\n", false)]
    [InlineData("ExecStart=/usr/bin/podman start x\n", "ExecStart=/usr/local/bin/podman start x\n", false)]
    [InlineData("Description=/a/podwake\n", "Description=/b/podwake\n", false)]
    public void IsOnly_TheProgramOfExecLinesAPodwakeBinary(string installed, string planned, bool expected)
    {
        Assert.Equal(expected, PodwakePathChange.IsOnly(installed, planned));
    }

    private (ServiceSpec Spec, string Home) Service(string extra)
    {
        var file = _dir.Write("service.yaml", $"""
            name: pathchange
            image: localhost/pathchange:1
            ports: [{"{"}listen: 127.0.0.1:18090, container: 80{"}"}]
            {extra}
            """);
        var loaded = SpecLoader.Load([file]);
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));
        return (Assert.Single(loaded.Services), Path.Join(_dir.Path, "home"));
    }

    private static ServicePlan Plan(ServiceSpec spec, string home, string podwake)
    {
        Directory.CreateDirectory(home);
        var me = new UnixUser("tester", 1000, 1000, home);
        var planner = new DeployPlanner(new DeployOptions { PodwakePath = podwake }, me, _ => Task.FromResult(false));
        var target = new DeployTarget(new SystemdManager(false, null, home, "/run/user/1000"), null, false, Rootless: true);
        var (files, listen, _) = planner.PlanFiles(spec, target, null);
        return new ServicePlan(spec, target, null, files, ImageAction.Present, "sha256:1", ContainerAction.Keep, listen, false);
    }

    /// <summary>Writes the plan's files, as a deploy would (all of them are in the temporary home: not root, no index).</summary>
    private static void Install(ServicePlan plan)
    {
        foreach (var file in plan.Files.Where(f => f.Content is not null))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file.Path)!);
            File.WriteAllText(file.Path, file.Content);
        }
    }
}
