using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Podwake.Activation;
using Podwake.Host;
using Podwake.Logs;
using Xunit;

namespace Podwake.Tests.Logs;

public sealed class ServiceEventsTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("podwake-events-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 18, 0, 0, TimeSpan.Zero));

    private RuntimePaths Paths => new(Path.Combine(_root.FullName, "podwake"));

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void StateChanges_GetTheirNames_OtherLinesAreNoEvents()
    {
        var events = Write("web", logger =>
        {
            ActivationLog.Waking(logger, "web", 1);
            logger.LogDebug(new EventId(101, "ConnectionEnded"), "web: connection ended");
            ActivationLog.Ready(logger, "web", 120);
            ActivationLog.Exited(logger, "web", "1", "on-failure", "restarting");
            ActivationLog.Exited(logger, "web", "0", "on-failure", "dormant until the next connection");
            ActivationLog.WakeFailed(logger, "web", "no", "next");
            ActivationLog.Idle(logger, "web", TimeSpan.FromSeconds(1));
            ActivationLog.Dormant(logger, "web");
            ActivationLog.UpdateNotReady(logger, "web", "timeout");
        });

        Assert.Equal(["waking", "ready", "restart", "exited", "failed", "idle", "dormant", "rolled-back"], events.Select(e => e.Event));
        Assert.Equal("120", events[1].Fields!["Milliseconds"]);
        Assert.Equal("2026-11-30T18:00:00.000Z web ready: ready in 120 ms", LogText.Format(events[1]));
    }

    [Fact]
    public void Watcher_StartsAtTheEnd_PicksUpNewServicesAndRotation()
    {
        using (var provider = new ServiceLogProvider(Paths, ["old"], _time, _ => { }))
        {
            ActivationLog.Waking(provider.CreateLogger("podwake.old"), "old", 1); // before the watch: not shown
        }

        using var watcher = new EventWatcher(Paths, [], _time);
        watcher.Start();
        Assert.Empty(watcher.ReadNew());

        using (var provider = new ServiceLogProvider(Paths, ["old", "new"], _time, _ => { }))
        {
            ActivationLog.Ready(provider.CreateLogger("podwake.old"), "old", 5);
            ActivationLog.Waking(provider.CreateLogger("podwake.new"), "new", 1);
        }

        Assert.Equal(["old ready", "new waking"], watcher.ReadNew().Select(e => $"{e.Service} {e.Event}").Order().Reverse());

        // Rotated under the watch between two reads: the rest of the old file (idle), then the new one (dormant).
        using (var file = new ServiceLogFile(Paths, "old", _ => { }))
        {
            ActivationLog.Idle(new ServiceLogger(file, _time), "old", TimeSpan.FromSeconds(1));
        }

        using (var file = new ServiceLogFile(Paths, "old", _ => { }, rotateBytes: 1))
        {
            ActivationLog.Dormant(new ServiceLogger(file, _time), "old");
        }

        Assert.Equal(["idle", "dormant"], watcher.ReadNew().Select(e => e.Event));
        Assert.True(File.Exists(Paths.OldLogFile("old")));
    }

    [Fact]
    public void EveryEventName_IsDocumented()
    {
        var doc = File.ReadAllText(RepositoryPaths.Combine("docs/logs.md"));

        var missing = ServiceEvents.AllNames.Where(name => !doc.Contains($"\n| `{name}` |", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, $"docs/logs.md has no \"| `NAME` |\" row for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Watcher_Named_OnlyThoseServices()
    {
        using var watcher = new EventWatcher(Paths, ["a"], _time);
        watcher.Start();
        using (var provider = new ServiceLogProvider(Paths, ["a", "b"], _time, _ => { }))
        {
            ActivationLog.Dormant(provider.CreateLogger("podwake.a"), "a");
            ActivationLog.Dormant(provider.CreateLogger("podwake.b"), "b");
        }

        Assert.Equal(["a"], watcher.ReadNew().Select(e => e.Service));
    }

    [Fact]
    public void Follower_CutLineOrForeignLine_Skipped()
    {
        Directory.CreateDirectory(Paths.LogDirectory);
        File.WriteAllText(Paths.LogFile("web"), "not json\n{\"time\":\"2026-11-30T18:00:00Z\",\"service\":\"web\",\"level\":\"Information\",\"id\":5,\"message\":\"web: stopped, dormant\"}\n{\"time\":");
        using var follower = new LogFileFollower(Paths.LogFile("web"));

        Assert.Equal(["web: stopped, dormant"], follower.ReadNew().Select(r => r.Message));
        File.AppendAllText(Paths.LogFile("web"), "\"2026-11-30T18:00:01Z\",\"service\":\"web\",\"level\":\"Information\",\"id\":1,\"message\":\"web: waking\"}\n");
        Assert.Equal(["web: waking"], follower.ReadNew().Select(r => r.Message));
    }

    private List<ServiceEvent> Write(string service, Action<ILogger> log)
    {
        using (var provider = new ServiceLogProvider(Paths, [service], _time, _ => { }))
        {
            log(provider.CreateLogger($"podwake.{service}"));
        }

        using var follower = new LogFileFollower(Paths.LogFile(service));
        return [.. follower.ReadNew().Select(ServiceEvents.From).OfType<ServiceEvent>()];
    }
}
