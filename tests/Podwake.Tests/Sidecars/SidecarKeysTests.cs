using System.Text.RegularExpressions;
using Podwake.Sidecars;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Sidecars;

/// <summary>Which key a call belongs to, for each kind of <c>sidecar.key</c>.</summary>
public sealed class SidecarKeysTests
{
    private static readonly Func<ulong, string?> Namespaces = inode => inode == 42 ? "qdhcp-1" : null;

    [Fact]
    public void Netns_IsTheNameOfTheCallersNamespace()
    {
        Assert.Equal("qdhcp-1", Derive(SidecarKey.Netns, new() { NetnsInode = 42 }, out _));
        Assert.Null(Derive(SidecarKey.Netns, new() { NetnsInode = 7 }, out var problem));
        Assert.Contains("ip netns exec", problem, StringComparison.Ordinal);
        Assert.Null(Derive(SidecarKey.Netns, new(), out problem));
        Assert.Contains("/proc/self/ns/net", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Env_IsTheVariablesValue_MissingOrEmptyIsAProblem()
    {
        var key = new SidecarKey { Kind = SidecarKeyKind.Env, Variable = "NETWORK_ID" };
        Assert.Equal("n 1", Derive(key, new() { Environment = new Dictionary<string, string> { ["NETWORK_ID"] = "n 1" } }, out _));
        Assert.Null(Derive(key, new() { Environment = new Dictionary<string, string> { ["NETWORK_ID"] = "" } }, out var problem));
        Assert.Contains("NETWORK_ID", problem, StringComparison.Ordinal);
        Assert.Null(Derive(key, new(), out _));
    }

    [Fact]
    public void Arg_IsTheFirstMatchingArgumentsFirstGroup_OrTheWholeMatch()
    {
        var uuid = new SidecarKey { Kind = SidecarKeyKind.Arg, Pattern = new Regex(@"--pid-file=/var/lib/neutron/dhcp/([0-9a-f-]{36})/pid") };
        string[] arguments = ["--no-hosts", "--pid-file=/var/lib/neutron/dhcp/7f3e2a10-0b1c-4d5e-8f90-a1b2c3d4e5f6/pid", "--pid-file=/var/lib/neutron/dhcp/00000000-0000-0000-0000-000000000000/pid"];
        Assert.Equal("7f3e2a10-0b1c-4d5e-8f90-a1b2c3d4e5f6", Derive(uuid, new() { Arguments = arguments }, out _));

        var whole = new SidecarKey { Kind = SidecarKeyKind.Arg, Pattern = new Regex("^net[0-9]+$") };
        Assert.Equal("net12", Derive(whole, new() { Arguments = ["-k", "net12"] }, out _));
        Assert.Null(Derive(whole, new() { Arguments = ["-k"] }, out var problem));
        Assert.Contains("no argument matches", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyOverTheLimit_IsAProblem()
    {
        var key = new SidecarKey { Kind = SidecarKeyKind.Env, Variable = "K" };
        Assert.Null(Derive(key, new() { Environment = new Dictionary<string, string> { ["K"] = new string('k', 300) } }, out var problem));
        Assert.Contains("longer than", problem, StringComparison.Ordinal);
    }

    private static string? Derive(SidecarKey key, CallParts parts, out string? problem) =>
        SidecarKeys.Derive(key, new SidecarCall
        {
            Id = "ab",
            Time = 1,
            NetnsInode = parts.NetnsInode,
            Arguments = parts.Arguments ?? [],
            Environment = parts.Environment ?? new Dictionary<string, string>(),
        }, Namespaces, out problem);

    private sealed record CallParts
    {
        public ulong? NetnsInode { get; init; }

        public IReadOnlyList<string>? Arguments { get; init; }

        public IReadOnlyDictionary<string, string>? Environment { get; init; }
    }
}
