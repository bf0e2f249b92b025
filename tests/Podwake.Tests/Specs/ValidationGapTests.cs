using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary>
/// Values that validate accepted and that crashed later (issue 9, item 7): generate, every wake, or serve's timers.
/// Each is now a <c>FILE:LINE:COL</c> error at validate.
/// </summary>
public sealed class ValidationGapTests : IDisposable
{
    private readonly SpecFile _spec = new();

    public void Dispose() => _spec.Dispose();

    [Theory]
    [InlineData("name: \"web\\n\"", "1:7: error: name: \"web\\n\" is not a valid name; use 1 to 48 lowercase letters, digits and '-', starting with a letter or digit (e.g. hello)")]
    [InlineData("run_as: \"web\\n\"", "1:9: error: run_as: \"web\\n\" is not a valid account name; use up to 32 lowercase letters, digits, '_' and '-', starting with a letter or '_'")]
    [InlineData("env: {\"A\\n\": x}", "1:7: error: env: \"A\\n\" is not a valid variable name; use letters, digits and '_', not starting with a digit (e.g. GREETING)")]
    [InlineData("volumes: [\"data\\n:/data\"]", "1:11: error: volumes[0]: \"data\\n\" is not a valid volume name; use letters, digits, '_', '.' and '-' (or start a host path with ./ or /)")]
    [InlineData("image: \"busybox\\n\"", "1:8: error: image: \"busybox\\n\" is not a valid image reference")]
    [InlineData("hold: \"5\\n\"", "1:7: error: hold: \"5\\n\" is not a positive integer; give the most connections to hold while waking, e.g. hold: 512")]
    public void TrailingNewline_IsRejected(string line, string expected)
    {
        // Before: "$" matched before the final \n, validate said ok and generate died (name) or deploy failed later.
        var errors = Load(line);

        Assert.Single(errors);
        Assert.StartsWith($"{_spec.Path}:{expected}", errors[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("env: {A: \"x\\0y\"}", "1:10: error: env.A: contains a NUL character (\\0), which no program argument, environment value or path can hold; remove it")]
    [InlineData("command: [/bin/sh, \"a\\0b\"]", "1:20: error: command[1]: contains a NUL character (\\0), which no program argument, environment value or path can hold; remove it")]
    [InlineData("volumes: [\"/srv\\0x:/data\"]", "1:11: error: volumes[0]: contains a NUL character (\\0), which no program argument, environment value or path can hold; remove it")]
    [InlineData("ready: {exec: [\"/bin/\\0\"]}", "1:16: error: ready.exec[0]: contains a NUL character (\\0), which no program argument, environment value or path can hold; remove it")]
    public void Nul_IsRejected(string line, string expected)
    {
        // Before: validate said ok and every wake failed in runc.
        Assert.Equal([$"{_spec.Path}:{expected}"], Load(line));
    }

    [Theory]
    [InlineData("ready: {timeout: 1200h}", "1:18: error: ready.timeout: \"1200h\" is longer than 24h, the most podwake accepts; use at most 24h")]
    [InlineData("idle: 25h", "1:7: error: idle: \"25h\" is longer than 24h, the most podwake accepts; use at most 24h or \"never\"")]
    [InlineData("idle: 99999999999h", "1:7: error: idle: \"99999999999h\" is longer than 24h, the most podwake accepts; use at most 24h or \"never\"")]
    public void DurationAboveTheMaximum_IsRejected(string line, string expected)
    {
        // Before: ready.timeout: 1200h passed; serve then gave every connection an empty reply and SIGTERM threw,
        // leaving the container (Task.Delay and CancelAfter take at most ~49.7 days).
        Assert.Equal([$"{_spec.Path}:{expected}"], Load(line));
    }

    [Fact]
    public void FlowIdleAboveTheMaximum_IsRejected()
    {
        Assert.Equal(
            [$"{_spec.Path}:4:18: error: udp.flow_idle: \"1200h\" is longer than 24h, the most podwake accepts; use at most 24h"],
            _spec.Errors("name: a\nimage: busybox\nports: [{listen: 18901, container: 53, protocol: udp}]\nudp: {flow_idle: 1200h}\n"));
    }

    [Fact]
    public void DurationsOfExactlyTheMaximum_AreAccepted()
    {
        Assert.Equal(TimeSpan.FromHours(24), _spec.Load("name: a\nimage: busybox\nports: [{listen: 18901, container: 80}]\nidle: 24h\nready: {timeout: 24h}\n").Ready.Timeout);
    }

    [Theory]
    [InlineData("web-container", "podwake-web-container.service is the container unit of a service named \"web\"")]
    [InlineData("web-network", "podwake-web-network.service is the network unit of a service named \"web\"")]
    [InlineData("web-next", "podwake-web-next is the container an update of a service named \"web\" creates")]
    [InlineData("web-sidecar", "podwake-web-sidecar.path and podwake-web-sidecar.service are the sync units of a sidecar: service named \"web\"")]
    [InlineData("web-expose", "podwake-web-expose.socket is an expose unit of a service named \"web\"")]
    [InlineData("web-expose-8080", "podwake-web-expose-8080.socket is an expose unit of a service named \"web\"")]
    public void NameWithAReservedSuffix_IsRejected(string name, string use)
    {
        // Before: services web and web-container both validated and generated the same podwake-web-container.service.
        var suffix = name[name.IndexOf('-', StringComparison.Ordinal)..];
        Assert.Equal(
            [$"{_spec.Path}:1:7: error: name: \"{name}\" ends with \"{suffix}\", which podwake reserves: {use}; choose a name without that ending, e.g. web-app"],
            Load($"name: {name}", name: null));
    }

    [Theory]
    [InlineData("container")]
    [InlineData("web-containers")]
    [InlineData("next-web")]
    [InlineData("web-expose-x")]
    [InlineData("a--b")]
    public void NameThatOnlyLooksReserved_IsAccepted(string name)
    {
        Assert.Empty(Load($"name: {name}", name: null));
    }

    [Fact]
    public void TwoServicesWhoseUnitsWouldClash_AreReportedInOneLoad()
    {
        var a = _spec.Directory.Write("a.yaml", "name: web\nimage: web\nports: [{listen: 18901, container: 80}]\n");
        var b = _spec.Directory.Write("b.yaml", "name: web-container\nimage: web\nports: [{listen: 18902, container: 80}]\n");

        var result = SpecLoader.Load([a, b]);

        Assert.Equal(["web"], result.Services.Select(s => s.Name));
        Assert.StartsWith($"{b}:1:7: error: name: \"web-container\" ends with \"-container\"", Assert.Single(result.Diagnostics).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[fe80::1%lo]:18901")]
    [InlineData("[fe80::1]:18901")]
    public void LinkLocalListenAddress_IsRejected(string address)
    {
        // Before: "%lo" became "%1" and reached ListenStream= unescaped (systemd: "Invalid slot"); escaped, systemd 252
        // still refuses a zone, and Linux does not bind a link-local address without one.
        var error = Assert.Single(_spec.Errors($"name: a\nimage: busybox\nports: [{{listen: \"{address}\", container: 80}}]\n"));

        Assert.StartsWith($"{_spec.Path}:3:18: error: ports[0].listen: ", error, StringComparison.Ordinal);
        Assert.Contains("is a link-local address or has a zone (%IFACE)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ControlCharacterInAListenAddress_IsRejectedOnOneLine()
    {
        Assert.Equal(
            [$"{_spec.Path}:3:18: error: ports[0].listen: \"18901\\n\" contains a control character; write the address alone: PORT, IPV4:PORT or [IPV6]:PORT (e.g. 8080, 0.0.0.0:80, [::1]:8080)"],
            _spec.Errors("name: a\nimage: busybox\nports: [{listen: \"18901\\n\", container: 80}]\n"));
    }

    [Fact]
    public void HttpProbePathWithASpace_IsRejected()
    {
        Assert.Equal(
            [$"{_spec.Path}:1:15: error: ready.http: \"/a b\" contains a space or control character, which would break the request line; percent-encode it (e.g. %20 for a space)"],
            Load("ready: {http: \"/a b\"}"));
    }

    /// <summary>Loads <paramref name="line"/> as the first line of an otherwise valid service.</summary>
    private string[] Load(string line, string? name = "a")
    {
        var rest = "image: busybox\nports: [{listen: 18901, container: 80}]\n";
        var head = line.StartsWith("name:", StringComparison.Ordinal) || name is null ? "" : $"\nname: {name}";
        var yaml = line.StartsWith("image:", StringComparison.Ordinal)
            ? $"{line}\nname: a\nports: [{{listen: 18901, container: 80}}]\n"
            : $"{line}{head}\n{rest}";
        return _spec.Errors(yaml);
    }
}
