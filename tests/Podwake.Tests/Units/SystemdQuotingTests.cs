using Podwake.Units;
using Xunit;

namespace Podwake.Tests.Units;

public sealed class SystemdQuotingTests
{
    public static TheoryData<string> Hostile => new()
    {
        "plain", "", " ", "two words", "double\"quote", "single'quote", "$HOME", "${HOME}", "$$", "50%", "%n", "%%",
        "back\\slash", "trailing\\", ";", "a;b", "; rm -rf /", "new\nline", "tab\tand\rreturn", "bell\u0007",
        "\"quoted\"", "'single'", "\\\"", "h\u00e9llo \u65e5\u672c", "--flag=va lue", "x=$(id)", "`id`", "*?[]",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void ExecArgument_ReadsBackByteForByte(string argument)
    {
        var line = SystemdQuoting.ExecLine(["/usr/bin/podman", "run", argument, "after"]);

        Assert.DoesNotContain('\n', line);
        Assert.Equal(["/usr/bin/podman", "run", argument, "after"], SystemdWords.SplitExec(line));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("$HOME", "\"$$HOME\"")]
    [InlineData("50%", "\"50%%\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("new\nline", "\"new\\nline\"")]
    [InlineData(";", "\";\"")]
    [InlineData("", "\"\"")]
    public void ExecArgument_QuotesAsSystemdServiceDescribes(string argument, string expected) =>
        Assert.Equal(expected, SystemdQuoting.ExecArgument(argument));

    [Fact]
    public void EnvironmentAssignment_QuotesValueButKeepsDollar()
    {
        Assert.Equal("\"GREETING=hello $USER 100%% \\\"ok\\\"\"", SystemdQuoting.EnvironmentAssignment("GREETING", "hello $USER 100% \"ok\""));
        Assert.Equal("A=b", SystemdQuoting.EnvironmentAssignment("A", "b"));
    }

    [Fact]
    public void EnvironmentAssignment_BadName_Throws() =>
        Assert.Throws<ArgumentException>(() => SystemdQuoting.EnvironmentAssignment("A B", "x"));

    [Fact]
    public void Path_EscapesSpecifiersOnly() =>
        Assert.Equal("/srv/100%% data", SystemdQuoting.Path("/srv/100% data"));

    [Fact]
    public void ExecLine_RelativeProgram_Throws() =>
        Assert.Throws<ArgumentException>(() => SystemdQuoting.ExecLine(["podman", "run"]));

    [Fact]
    public void ExecArgument_Nul_Throws() =>
        Assert.Throws<ArgumentException>(() => SystemdQuoting.ExecArgument("a\0b"));
}
