using Podwake.Cli;
using Podwake.Updates;
using Xunit;

namespace Podwake.Tests.Cli;

/// <summary><c>podwake update</c>'s exit code: a failed check or pull (the host's fault) before a rollback before a user error.</summary>
public sealed class UpdateCommandTests
{
    private static UpdateResult Result(UpdateOutcome outcome) => new() { Service = "web", Image = "localhost/web:1", Outcome = outcome };

    [Theory]
    [InlineData(new string[0], false, false, ExitCodes.Success)]
    [InlineData(new[] { "Updated", "UpToDate", "WouldUpdate" }, false, false, ExitCodes.Success)]
    [InlineData(new[] { "Updated", "RolledBack" }, false, false, ExitCodes.RolledBack)]
    [InlineData(new[] { "RolledBack", "Failed" }, false, false, ExitCodes.EnvironmentError)]
    [InlineData(new[] { "Skipped" }, false, false, ExitCodes.UserError)]
    [InlineData(new[] { "Updated" }, true, false, ExitCodes.UserError)]
    [InlineData(new[] { "RolledBack" }, true, false, ExitCodes.RolledBack)]
    [InlineData(new[] { "Updated" }, false, true, ExitCodes.EnvironmentError)]
    public void ExitCode_TakesTheWorstOutcome(string[] outcomes, bool unknownNames, bool unanswered, int expected) =>
        Assert.Equal(expected, UpdateCommand.ExitCode([.. outcomes.Select(o => Result(Enum.Parse<UpdateOutcome>(o)))], unknownNames, unanswered));

    [Fact]
    public void Lines_SayWhatHappened()
    {
        var updated = Result(UpdateOutcome.Updated) with { From = "sha256:aa", To = "sha256:bb" };
        Assert.Equal("web: updated localhost/web:1@sha256:aa -> sha256:bb", updated.ToLine());
        Assert.Equal("web: up to date (localhost/web:1@sha256:aa)", (Result(UpdateOutcome.UpToDate) with { From = "sha256:aa", To = "sha256:aa" }).ToLine());
        Assert.Equal("web: would update localhost/web:1@sha256:aa -> sha256:bb (dry run: nothing changed)", (updated with { Outcome = UpdateOutcome.WouldUpdate }).ToLine());
        Assert.Equal("web: failed: registry r is unreachable", (Result(UpdateOutcome.Failed) with { Reason = "registry r is unreachable" }).ToLine());
        Assert.Equal("web: not updated: it has update: none", (Result(UpdateOutcome.Skipped) with { Reason = "it has update: none" }).ToLine());
    }
}
