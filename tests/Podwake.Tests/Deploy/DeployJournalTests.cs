using Podwake.Deploy;
using Xunit;

namespace Podwake.Tests.Deploy;

public sealed class DeployJournalTests
{
    [Fact]
    public async Task RollBack_UndoesNewestFirst_ThenRestarts_AndGoesOnPastAFailure()
    {
        var journal = new DeployJournal();
        var log = new List<string>();
        journal.Undo("remove the user", () => Log(log, "user"));
        journal.RestartAfterUndo("start the activator", () => Log(log, "activator"));
        journal.Undo("restore the files", () => Log(log, "files"));
        journal.Undo("remove the container", () => throw new IOException("podman is away"));
        journal.Undo("stop the socket", () => Log(log, "socket"));
        journal.OnCommit("remove the old container", () => Log(log, "commit"));
        var output = new StringWriter();

        var failed = await journal.RollBackAsync(output);

        Assert.Equal(["socket", "files", "user", "activator"], log);
        Assert.Equal(1, failed);
        Assert.Equal("podwake: warning: failed to remove the container: podman is away", output.ToString().Trim());
    }

    [Fact]
    public async Task Commit_RunsOnlyTheCommitSteps()
    {
        var journal = new DeployJournal();
        var log = new List<string>();
        journal.Undo("stop the socket", () => Log(log, "socket"));
        journal.OnCommit("remove the old container", () => Log(log, "commit"));

        await journal.CommitAsync(TextWriter.Null);

        Assert.Equal(["commit"], log);
    }

    private static Task Log(List<string> log, string entry)
    {
        log.Add(entry);
        return Task.CompletedTask;
    }
}
