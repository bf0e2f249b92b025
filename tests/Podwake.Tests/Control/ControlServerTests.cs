using Podwake.Activation;
using Podwake.Control;
using Podwake.Host;
using Podwake.Updates;
using Xunit;

namespace Podwake.Tests.Control;

/// <summary>The control socket's two requests over a real unix socket: status, and update routed to the handler.</summary>
public sealed class ControlServerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("podwake-control-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static StatusDocument Document() => new()
    {
        Pid = Environment.ProcessId,
        StartedAt = DateTimeOffset.UnixEpoch,
        Services = [new ServiceStatus { Name = "web", State = ServiceState.Dormant, Image = "localhost/web:1", ImageDigest = "sha256:aa" }],
    };

    [Fact]
    public async Task Status_AnswersTheSnapshot()
    {
        var paths = new RuntimePaths(_directory);
        await using var server = ControlServer.Start(paths, Document);

        var read = await StatusClient.ReadAllAsync(paths, CancellationToken.None);

        var service = Assert.Single(Assert.Single(read.Documents).Services);
        Assert.Equal(("web", "sha256:aa"), (service.Name, service.ImageDigest));
        Assert.Empty(read.Unresponsive);
    }

    [Fact]
    public async Task Update_IsPassedToTheHandler_AndItsResultsComeBack()
    {
        var paths = new RuntimePaths(_directory);
        UpdateRequest? asked = null;
        await using var server = ControlServer.Start(paths, Document, (request, _) =>
        {
            asked = request;
            return Task.FromResult(new UpdateReport
            {
                Pid = Environment.ProcessId,
                Results = [new UpdateResult { Service = "web", Image = "localhost/web:1", Outcome = UpdateOutcome.RolledBack, Reason = "not ready", From = "sha256:aa", To = "sha256:bb" }],
            });
        });

        var reports = await UpdateClient.RequestAllAsync(paths, new UpdateRequest(["web"], DryRun: true), (_, _) => Assert.Fail("no answer"), CancellationToken.None);

        Assert.Equal(["web"], asked!.Services);
        Assert.True(asked.DryRun);
        var result = Assert.Single(Assert.Single(reports).Results);
        Assert.Equal(UpdateOutcome.RolledBack, result.Outcome);
        Assert.Equal("web: rolled back: not ready (still on localhost/web:1@sha256:aa)", result.ToLine());
    }

    [Fact]
    public async Task Update_ToAProcessThatUpdatesNothing_ReportsTheNamesUnknown()
    {
        var paths = new RuntimePaths(_directory);
        await using var server = ControlServer.Start(paths, Document);

        var report = Assert.Single(await UpdateClient.RequestAllAsync(paths, new UpdateRequest(["web"], DryRun: false), (_, _) => { }, CancellationToken.None));

        Assert.Empty(report.Results);
        Assert.Equal(["web"], report.Unknown);
    }
}
