using Podwake.Sidecars;
using Xunit;

namespace Podwake.Tests.Sidecars;

/// <summary>The call file: every value the caller gives comes back exactly; anything cut short or malformed is refused whole.</summary>
public sealed class SidecarCallFileTests
{
    public static TheoryData<string> HostileValues => new()
    {
        "two words",
        "quotes ' and \"",
        "$(touch /tmp/x) `id` ; rm -rf /",
        "line one\nline two\n",
        "../../etc/passwd",
        "tab\tand\rcarriage",
        "ünïcødé ✓",
        "",
    };

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void Format_ThenParse_GivesBackTheSameCall(string value)
    {
        var call = new SidecarCall
        {
            Id = "0123456789abcdef",
            Time = 1796032861,
            NetnsInode = 4026532301,
            Foreground = true,
            Arguments = [value, "-k", value],
            Environment = new Dictionary<string, string> { ["A_1"] = value },
            Key = value.Length == 0 ? null : value,
        };

        var parsed = SidecarCallFile.Parse(SidecarCallFile.Format(call), out var problem);

        Assert.Null(problem);
        Assert.NotNull(parsed);
        Assert.Equal(call.Id, parsed.Id);
        Assert.Equal(call.Time, parsed.Time);
        Assert.Equal(call.NetnsInode, parsed.NetnsInode);
        Assert.True(parsed.Foreground);
        Assert.Equal(call.Arguments, parsed.Arguments);
        Assert.Equal(call.Environment, parsed.Environment);
        Assert.Equal(call.Key, parsed.Key);
    }

    [Theory]
    [InlineData("podwake-sidecar-call 1\nid ab\ntime 1\nnetns \nforeground 0\n", "incomplete")]
    [InlineData("something else\nend\n", "not a podwake side-car call")]
    [InlineData("podwake-sidecar-call 1\nid ab\ntime 1\narg 6\nend\n", "line 4")]
    [InlineData("podwake-sidecar-call 1\nid ab\ntime 1\narg zz\nend\n", "line 4")]
    [InlineData("podwake-sidecar-call 1\nid ab\ntime 1\narg ff\nend\n", "argument 1 is not UTF-8 text")]
    [InlineData("podwake-sidecar-call 1\nid ab\ntime 1\narg 6100\nend\n", "holds a NUL")]
    [InlineData("podwake-sidecar-call 1\nid ../x\ntime 1\nend\n", "line 2")]
    [InlineData("podwake-sidecar-call 1\nid ab\ntime 1\nenv A-B 61\nend\n", "line 4")]
    [InlineData("podwake-sidecar-call 1\nid ab\ntime 1\nrun /bin/sh\nend\n", "line 4")]
    [InlineData("podwake-sidecar-call 1\nid ab\nend\n", "no id or time")]
    public void Malformed_IsRefusedWithWhere(string text, string expected)
    {
        Assert.Null(SidecarCallFile.Parse(text, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
