using CsCheck;
using Podwake.Units;
using Xunit;

namespace Podwake.Tests.Units;

public sealed class UnitNameTests
{
    private const string SystemdEscape = "/usr/bin/systemd-escape";

    private static readonly string[] Tricky =
    [
        "hello", "web-1", ".hidden", "a.b.c", "-dash", "a/b", "/a/b/", "a b", "x:y_z", "\\", "~", "h\u00e9llo", "\u65e5\u672c",
        "%i$HOME", "semi;colon", "quote\"s'", "tab\there", "new\nline", "emoji\U0001F600", "@at+plus=eq,comma",
    ];

    private static readonly string[] TrickyPaths =
    [
        "/", "/srv/www", "//srv//www/", "/srv/./www", "/srv/my data", "/srv/h\u00e9llo/.config", "/.hidden", "/a-b/c_d",
    ];

    [SystemdToolFact(SystemdEscape)]
    public void UnitNamesOfValidServiceNames_AreNamesSystemdKeepsAsTheyAre()
    {
        // systemd-escape --mangle escapes whatever is not valid in a unit name: nothing may change.
        var random = Gen.Select(
                Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 0, 47],
                Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"],
                (rest, first) => $"{first}{rest}")
            .Array[100, 100].Single();
        var units = random.Concat(["0", "a--b", "a-", new string('z', 48)])
            .Where(Podwake.Specs.ServiceParser.IsValidName)
            .SelectMany(n => new[]
            {
                UnitGenerator.SocketUnitName(n), UnitGenerator.ActivatorUnitName(n), UnitGenerator.ContainerUnitName(n),
                UnitGenerator.NetworkUnitName(n), $"podwake-{n}-expose.socket", $"podwake-{n}-expose-65535.service",
            })
            .ToList();

        var (exitCode, output, error) = ToolRunner.Run(SystemdEscape, ["--mangle", "--", .. units]);

        Assert.True(exitCode == 0, error);
        Assert.Equal(units, output.TrimEnd('\n').Split(' '));
    }

    [SystemdToolFact(SystemdEscape)]
    public void Escape_MatchesSystemdEscape()
    {
        foreach (var text in Tricky)
        {
            var (exitCode, output, error) = ToolRunner.Run(SystemdEscape, ["--", text]);
            Assert.True(exitCode == 0, $"systemd-escape failed for {text}: {error}");
            Assert.Equal(output.TrimEnd('\n'), UnitName.Escape(text));
        }
    }

    [SystemdToolFact(SystemdEscape)]
    public void EscapePath_MatchesSystemdEscapePath()
    {
        foreach (var path in TrickyPaths)
        {
            var (exitCode, output, error) = ToolRunner.Run(SystemdEscape, ["--path", "--", path]);
            Assert.True(exitCode == 0, $"systemd-escape --path failed for {path}: {error}");
            Assert.Equal(output.TrimEnd('\n'), UnitName.EscapePath(path));
        }
    }

    [SystemdToolFact(SystemdEscape)]
    public void EscapePath_DotDot_IsRefusedLikeSystemdEscape()
    {
        var (exitCode, _, _) = ToolRunner.Run(SystemdEscape, ["--path", "--", "/a/../b"]);

        Assert.NotEqual(0, exitCode);
        Assert.Throws<ArgumentException>(() => UnitName.EscapePath("/a/../b"));
    }

    [Fact]
    public void Escape_LeadingDotAndDash_AreHexEscaped()
    {
        Assert.Equal(@"\x2ehidden", UnitName.Escape(".hidden"));
        Assert.Equal(@"podwake\x2dhello", UnitName.Escape("podwake-hello"));
    }
}
