using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Podwake.Activation;
using Podwake.Podman;
using Podwake.Serve;
using Podwake.Specs;
using Podwake.Tests.Podman;
using Xunit;

namespace Podwake.Tests.Serve;

/// <summary>
/// How a serve container's run learns its own end from podman's event stream (<see cref="ContainerWorkload.OnEvent"/>):
/// against <see cref="ScriptedPodmanApi"/>, rootless so that no network namespace is entered.
/// </summary>
public sealed class ContainerWorkloadEventTests : IDisposable
{
    private const int Pid = 4242;

    /// <summary>Long enough for an event's check (one inspect on the fake) to have finished in the background.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    private readonly ScriptedPodmanApi _api = new();
    private readonly PodmanClient _podman;
    private readonly EventIdLogger _logger = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ContainerWorkload _workload;

    public ContainerWorkloadEventTests()
    {
        _podman = _api.Client();
        var spec = new ServiceSpec
        {
            Name = "web",
            Image = "localhost/web:latest",
            Ready = new ReadySpec { Kind = ReadyKind.Tcp, Port = 80 },
            Location = SourceLocation.ForFile("web.yaml"),
        };
        _workload = new ContainerWorkload(spec, _podman, rootless: true, _time, _logger);
    }

    public void Dispose() => _podman.Dispose();

    [Fact]
    public async Task Died_OfTheCurrentRun_CompletesExitedWithTheEventsExitCode()
    {
        var run = await StartAsync();
        _api.Exited(3);

        _workload.OnEvent(Event(ScriptedPodmanApi.ContainerId, "died", 3));

        Assert.Equal(3, await run.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Died_WhileTheRunsPidStillRuns_IsIgnoredAsAnEarlierRunsLateEvent()
    {
        var run = await StartAsync();

        _workload.OnEvent(Event(ScriptedPodmanApi.ContainerId, "died", 137));
        await _api.WaitForInspectsAsync(1);
        await Task.Delay(Settle);

        Assert.False(run.Exited.IsCompleted);

        // The run's own death, later, is still seen.
        _api.Exited(3);
        _workload.OnEvent(Event(ScriptedPodmanApi.ContainerId, "died", 3));
        Assert.Equal(3, await run.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", "died")]
    [InlineData(ScriptedPodmanApi.ContainerId, "cleanup")]
    [InlineData(ScriptedPodmanApi.ContainerId, "exec_died")]
    public async Task AnotherContainerOrAction_IsIgnored(string id, string action)
    {
        var run = await StartAsync();
        _api.Exited(137);
        var requests = _api.Requests.Count;

        _workload.OnEvent(Event(id, action, 137));
        await Task.Delay(Settle);

        Assert.False(run.Exited.IsCompleted);
        Assert.Equal(requests, _api.Requests.Count);
    }

    [Fact]
    public async Task Died_WhenTheCheckFails_CompletesExitedAndLogsOneLine()
    {
        var run = await StartAsync();
        _api.FailInspects(new HttpRequestException("Connection refused"));

        _workload.OnEvent(Event(ScriptedPodmanApi.ContainerId, "died", 137));

        Assert.Equal(137, await run.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
        var line = Assert.Single(_logger.Lines, l => l.EventId == 210);
        Assert.Contains("podwake-web died", line.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Died_StampedBeforeTheRunStarted_IsIgnoredEvenWhenTheCheckFails()
    {
        // Found in review: a late "died" of run N, with podman's API not answering, completed run N+1's Exited.
        var run = await StartAsync();
        _api.FailInspects(new HttpRequestException("Connection refused"));
        var earlier = _time.GetUtcNow() - TimeSpan.FromSeconds(1);

        _workload.OnEvent(Event(ScriptedPodmanApi.ContainerId, "died", 137) with { TimeNano = (earlier - DateTimeOffset.UnixEpoch).Ticks * 100 });
        await Task.Delay(Settle);

        Assert.False(run.Exited.IsCompleted);
        _workload.OnEvent(Event(ScriptedPodmanApi.ContainerId, "died", 137) with { TimeNano = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100 });
        Assert.Equal(137, await run.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Died_Twice_CompletesExitedOnce()
    {
        var faults = new List<Exception>();
        void Unobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.ToString().Contains(nameof(ContainerWorkload), StringComparison.Ordinal))
            {
                lock (faults)
                {
                    faults.Add(e.Exception);
                }
            }
        }

        TaskScheduler.UnobservedTaskException += Unobserved;
        try
        {
            var run = await StartAsync();
            _api.Exited(3);

            _workload.OnEvent(Event(ScriptedPodmanApi.ContainerId, "died", 3));
            _workload.OnEvent(Event(ScriptedPodmanApi.ContainerId, "died", 3));
            await _api.WaitForInspectsAsync(2);
            await Task.Delay(Settle);

            Assert.Equal(3, await run.Exited);

            // A second completion would throw inside the event's background task, where nobody awaits it.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            lock (faults)
            {
                Assert.Empty(faults);
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= Unobserved;
        }
    }

    /// <summary>Creates the container and starts a run whose process is <see cref="Pid"/>; waits for start's own inspect.</summary>
    private async Task<WorkloadRun> StartAsync()
    {
        await _workload.CreateAsync(CancellationToken.None);
        _api.Running(Pid);
        var run = await _workload.StartAsync(1, CancellationToken.None);
        await _api.WaitForInspectsAsync(1);
        return run;
    }

    private static PodmanEvent Event(string id, string action, int exitCode) => new()
    {
        Type = "container",
        Action = action,
        Status = action,
        Actor = new PodmanEventActor
        {
            Id = id,
            Attributes = new Dictionary<string, string>
            {
                ["containerExitCode"] = exitCode.ToString(CultureInfo.InvariantCulture),
                ["name"] = "podwake-web",
            },
        },
    };
}
