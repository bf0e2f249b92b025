using System.Text.RegularExpressions;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary><c>sidecar:</c> services: each key read into <see cref="SidecarSpec"/>, each mistake an exact FILE:LINE:COL error.</summary>
public sealed class SidecarSpecTests : IDisposable
{
    private readonly SpecFile _spec = new();

    public void Dispose() => _spec.Dispose();

    [Fact]
    public void NetnsKeyWithEveryOption_Loads_WithoutPorts()
    {
        var spec = _spec.Load("""
            name: dnsmasq
            image: localhost/agent-tools:1
            sidecar:
              wrapper: /var/lib/neutron/../neutron//dnsmasq-wrapper
              command: [/usr/sbin/dnsmasq, -k, "--conf-dir=/etc/dnsmasq.d"]
              key: netns
              pass_env: [NEUTRON_DEBUG, LANG]
              foreground: true
              timeout: 1m30s
            volumes: ["/var/lib/neutron:/var/lib/neutron"]
            env: {A: b}
            restart: always
            """);

        var sidecar = spec.Sidecar!;
        Assert.Equal("/var/lib/neutron/dnsmasq-wrapper", sidecar.Wrapper);
        Assert.Equal(["/usr/sbin/dnsmasq", "-k", "--conf-dir=/etc/dnsmasq.d"], sidecar.Command);
        Assert.Equal(SidecarKeyKind.Netns, sidecar.Key.Kind);
        Assert.Equal("netns", sidecar.Key.ToString());
        Assert.Equal(["NEUTRON_DEBUG", "LANG"], sidecar.PassEnv);
        Assert.True(sidecar.Foreground);
        Assert.Equal(TimeSpan.FromSeconds(90), sidecar.Timeout);
        Assert.Equal(new SourceLocation(_spec.Path, 3, 1), sidecar.Location);

        Assert.Empty(spec.Ports);
        Assert.Null(spec.Command);
        Assert.Null(spec.Idle);
        Assert.Equal(TimeSpan.FromSeconds(90), spec.Ready.Timeout);
        Assert.Equal(RestartPolicy.Always, spec.Restart);
        Assert.Equal("b", spec.Env["A"]);
        Assert.Equal("/var/lib/neutron", Assert.Single(spec.Volumes).Target);
    }

    [Fact]
    public void EnvKey_Loads_WithTheDefaults()
    {
        var sidecar = _spec.Load(File(("key", "env:NETWORK_ID"))).Sidecar!;

        Assert.Equal(new SidecarKey { Kind = SidecarKeyKind.Env, Variable = "NETWORK_ID" }, sidecar.Key);
        Assert.Equal("env:NETWORK_ID", sidecar.Key.ToString());
        Assert.Empty(sidecar.PassEnv);
        Assert.False(sidecar.Foreground);
        Assert.Equal(SidecarSpec.DefaultTimeout, sidecar.Timeout);
    }

    [Fact]
    public void ArgKey_Loads_AsACultureInvariantRegexWithAMatchTimeout()
    {
        var key = _spec.Load(File(("key", "'arg:^--pid-file=.*/([^/]+)/pid$'"))).Sidecar!.Key;

        Assert.Equal(SidecarKeyKind.Arg, key.Kind);
        Assert.Equal("arg:^--pid-file=.*/([^/]+)/pid$", key.ToString());
        Assert.Equal(RegexOptions.CultureInvariant, key.Pattern!.Options);
        Assert.Equal(TimeSpan.FromMilliseconds(100), key.Pattern.MatchTimeout);
        Assert.Equal("7f3e", key.Pattern.Match("--pid-file=/var/lib/neutron/dhcp/7f3e/pid").Groups[1].Value);
    }

    [Fact]
    public void ServiceKeysThatNeedListeners_AreErrorsAtTheirKeys()
    {
        var errors = _spec.Errors("""
            name: dnsmasq
            image: localhost/agent-tools:1
            command: [/usr/sbin/dnsmasq]
            ports: [{listen: 8080, container: 80}]
            idle: 30s
            hold: 5
            udp: {flow_idle: 1s}
            ready: {tcp: 80}
            expose: [{listen: 0.0.0.0:80, to: 8080}]
            pod: ./pod.yaml
            update: registry
            run_as: web
            sidecar: {wrapper: /usr/local/bin/dnsmasq-wrapper, command: [/usr/sbin/dnsmasq], key: netns}
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:3:1: error: command: a sidecar: service's containers run sidecar.command, followed by the call's arguments; move the list to sidecar.command",
                $"{_spec.Path}:4:1: error: ports: a sidecar: service has no listeners (calls of its wrapper start its containers, one per key); remove ports:",
                $"{_spec.Path}:5:1: error: idle: a sidecar: service has no listeners to be idle on (a key's container runs until its key leaves the list); remove idle:",
                $"{_spec.Path}:6:1: error: hold: a sidecar: service has no listeners, so no connections to hold; remove hold:",
                $"{_spec.Path}:7:1: error: udp: a sidecar: service has no listeners, so no udp flows; remove udp:",
                $"{_spec.Path}:8:1: error: ready: a sidecar: service has no listeners to gate: a call returns once its key's container runs; remove ready: (sidecar.timeout sets how long a call waits)",
                $"{_spec.Path}:9:1: error: expose: a sidecar: service has no listeners to forward to; remove expose:",
                $"{_spec.Path}:10:1: error: pod: a sidecar: service runs its image in one container per key, not a pod; use image: instead",
                $"{_spec.Path}:11:1: error: update: updates of sidecar: services are not supported yet; remove update:, and to run a new image, change image: and deploy (or serve) the service again",
                $"{_spec.Path}:12:1: error: run_as: deploying a sidecar: service for another account is not supported yet; remove run_as: and run podwake deploy as that user",
            ],
            errors);
    }

    [Fact]
    public void MissingImage_IsRequired()
    {
        var errors = _spec.Errors(File().Replace("image: localhost/agent-tools:1\n", "", StringComparison.Ordinal));

        Assert.Equal(
            [$"{_spec.Path}:1:1: error: image is required for a sidecar: service (its containers run sidecar.command in it); add e.g. image: {ImageReference.Example}"],
            errors);
    }

    [Fact]
    public void MissingKeys_AreRequired_AtTheMapping()
    {
        var errors = _spec.Errors("""
            name: dnsmasq
            image: localhost/agent-tools:1
            sidecar: {foreground: false}
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:3:10: error: sidecar: wrapper is required; the absolute path where podwake writes the executable that callers run, e.g. wrapper: /var/lib/neutron/dnsmasq-wrapper",
                $"{_spec.Path}:3:10: error: sidecar: command is required; what each container runs, the call's arguments following it, e.g. command: [/usr/sbin/dnsmasq, -k]",
                $"{_spec.Path}:3:10: error: sidecar: key is required; which container a call belongs to: netns, env:NAME or arg:REGEX, e.g. key: netns (the caller's network namespace)",
            ],
            errors);
    }

    [Fact]
    public void UnknownKeys_SuggestTheNearest()
    {
        var errors = _spec.Errors(File(("pass-env", "[A]")).Replace("name: dnsmasq", "name: dnsmasq\nsidecr: x", StringComparison.Ordinal));

        Assert.Equal(
            [
                $"{_spec.Path}:2:1: error: unknown key \"sidecr\"; did you mean \"sidecar\"? allowed keys: name, image, build, command, env, env_file, secrets, volumes, user, resources, podman_args, ports, idle, ready, restart, update, run_as, expose, pod, hold, udp, sidecar",
                $"{_spec.Path}:8:3: error: sidecar: unknown key \"pass-env\"; did you mean \"pass_env\"? allowed keys: wrapper, command, key, pass_env, foreground, timeout",
            ],
            errors);
    }

    [Fact]
    public void SidecarThatIsNoMapping_SaysWhatToWrite()
    {
        var errors = _spec.Errors("name: dnsmasq\nimage: localhost/agent-tools:1\nsidecar: netns\n");

        Assert.Equal(
            [$"{_spec.Path}:3:10: error: sidecar: expected a mapping like {{wrapper: /var/lib/neutron/dnsmasq-wrapper, command: [/usr/sbin/dnsmasq, -k], key: netns}}, found \"netns\""],
            errors);
    }

    [Theory]
    [InlineData("bin/dnsmasq-wrapper", "sidecar.wrapper: \"bin/dnsmasq-wrapper\" is not an absolute path; give the full path where callers run the wrapper, e.g. /var/lib/neutron/dnsmasq-wrapper")]
    [InlineData("/var/lib/neutron/", "sidecar.wrapper: \"/var/lib/neutron/\" names a folder; give the path of the wrapper file itself, e.g. /var/lib/neutron/dnsmasq-wrapper")]
    [InlineData("/var/..", "sidecar.wrapper: \"/var/..\" names a folder; give the path of the wrapper file itself, e.g. /dnsmasq-wrapper")]
    [InlineData("/proc/self/dnsmasq", "sidecar.wrapper: /proc/self/dnsmasq is inside /proc, which the kernel provides, not a place for a program; choose another path, e.g. /var/lib/neutron/dnsmasq-wrapper")]
    [InlineData("/sys", "sidecar.wrapper: /sys is inside /sys, which the kernel provides, not a place for a program; choose another path, e.g. /var/lib/neutron/dnsmasq-wrapper")]
    [InlineData("/usr/../dev//dnsmasq", "sidecar.wrapper: /dev/dnsmasq is inside /dev, which the kernel provides, not a place for a program; choose another path, e.g. /var/lib/neutron/dnsmasq-wrapper")]
    [InlineData("\"/usr/bin/dnsmasq\\n\"", "sidecar.wrapper: contains a control character (a newline or tab, say), which no path a program is called by should hold; write the path alone")]
    [InlineData("\"/usr/bin/\\0\"", "sidecar.wrapper: contains a NUL character (\\0), which no program argument, environment value or path can hold; remove it")]
    [InlineData("[/usr/bin/dnsmasq]", "sidecar.wrapper: expected an absolute path like /var/lib/neutron/dnsmasq-wrapper, found a list")]
    public void BadWrapper_IsAnErrorAtItsValue(string value, string message)
    {
        Assert.Equal([$"{_spec.Path}:4:12: error: {message}"], _spec.Errors(File(("wrapper", value))));
    }

    [Fact]
    public void WrapperOutsideTheKernelsFolders_IsAccepted()
    {
        // "/proc" as a prefix of a name is not the folder /proc.
        Assert.Equal("/processes/w", _spec.Load(File(("wrapper", "/processes/w"))).Sidecar!.Wrapper);
    }

    [Theory]
    [InlineData("[]", "sidecar.command: the list is empty; give a program and its arguments, like [/usr/sbin/dnsmasq, -k]")]
    [InlineData("/usr/sbin/dnsmasq", "sidecar.command: expected a list of strings, found \"/usr/sbin/dnsmasq\"; write it as a list, like [/usr/sbin/dnsmasq, -k]")]
    public void BadCommand_IsAnErrorAtItsValue(string value, string message)
    {
        Assert.Equal([$"{_spec.Path}:5:12: error: {message}"], _spec.Errors(File(("command", value))));
    }

    [Theory]
    [InlineData("netn", "sidecar.key: \"netn\" is not a key; did you mean \"netns\"? use netns, env:NAME or arg:REGEX, e.g. key: netns")]
    [InlineData("pid", "sidecar.key: \"pid\" is not a key; use netns, env:NAME or arg:REGEX, e.g. key: netns")]
    [InlineData("env:1NET", "sidecar.key: \"env:1NET\" does not name a variable; write env: and a name of letters, digits and '_', not starting with a digit, e.g. env:NETWORK_ID")]
    [InlineData("\"env:\"", "sidecar.key: \"env:\" does not name a variable; write env: and a name of letters, digits and '_', not starting with a digit, e.g. env:NETWORK_ID")]
    [InlineData("env:PODWAKE_KEY", "sidecar.key: PODWAKE_KEY: variables starting with PODWAKE_ are podwake's own (PODWAKE_FOREGROUND=1 makes a call wait for its container's exit); use another name")]
    [InlineData("\"arg:\"", "sidecar.key: arg: needs a regular expression after it, matched against each argument of a call (its first capture group is the key), e.g. arg:^--pid-file=.*/([^/]+)/pid$")]
    [InlineData("\"arg:--pid-file=(.*\"", "sidecar.key: \"--pid-file=(.*\" is not a valid regular expression: Invalid pattern '--pid-file=(.*' at offset 14. Not enough )'s; fix the expression after arg: (.NET syntax), e.g. arg:^--pid-file=.*/([^/]+)/pid$")]
    [InlineData("[netns]", "sidecar.key: expected netns, env:NAME or arg:REGEX, found a list")]
    public void BadKey_IsAnErrorAtItsValue(string value, string message)
    {
        Assert.Equal([$"{_spec.Path}:6:8: error: {message}"], _spec.Errors(File(("key", value))));
    }

    [Fact]
    public void BadPassEnv_ReportsEachName()
    {
        var errors = _spec.Errors(File(("pass_env", "[NEUTRON_DEBUG, 1BAD, NEUTRON_DEBUG, PODWAKE_FOREGROUND, {A: b}]")));

        Assert.Equal(
            [
                $"{_spec.Path}:7:29: error: sidecar.pass_env[1]: \"1BAD\" is not a valid variable name; use letters, digits and '_', not starting with a digit (e.g. NEUTRON_DEBUG)",
                $"{_spec.Path}:7:35: error: sidecar.pass_env[2]: NEUTRON_DEBUG is already listed at sidecar.pass_env[0]; remove one",
                $"{_spec.Path}:7:50: error: sidecar.pass_env[3]: PODWAKE_FOREGROUND: variables starting with PODWAKE_ are podwake's own (PODWAKE_FOREGROUND=1 makes a call wait for its container's exit); use another name",
                $"{_spec.Path}:7:70: error: sidecar.pass_env[4]: expected a variable name like NEUTRON_DEBUG, found a mapping",
            ],
            errors);
    }

    [Fact]
    public void PassEnvThatIsNoList_SaysToWriteAList()
    {
        Assert.Equal(
            [$"{_spec.Path}:7:13: error: sidecar.pass_env: expected a list of variable names, found \"NEUTRON_DEBUG\"; write it as a list, like [NEUTRON_DEBUG]"],
            _spec.Errors(File(("pass_env", "NEUTRON_DEBUG"))));
    }

    [Theory]
    [InlineData("foreground", "yes", "7:15: error: sidecar.foreground: \"yes\" is not true or false; write true to have each call wait for its container to exit and pass back its exit code, stdout and stderr, or false (the default) to return once it runs")]
    [InlineData("timeout", "0s", "7:12: error: sidecar.timeout: \"0s\" must be more than zero; a call needs time for its container to start, e.g. 30s")]
    [InlineData("timeout", "30", "7:12: error: sidecar.timeout: \"30\" has no unit; add one of ms, s, m or h (e.g. 30s)")]
    [InlineData("timeout", "25h", "7:12: error: sidecar.timeout: \"25h\" is longer than 24h, the most podwake accepts; use at most 24h")]
    public void BadOption_IsAnErrorAtItsValue(string key, string value, string expected)
    {
        Assert.Equal([$"{_spec.Path}:{expected}"], _spec.Errors(File((key, value))));
    }

    [Fact]
    public void TimeoutOfExactlyTheMaximum_IsAccepted()
    {
        Assert.Equal(TimeSpan.FromHours(24), _spec.Load(File(("timeout", "24h"))).Sidecar!.Timeout);
    }

    [Fact]
    public void TwoServicesWithOneWrapper_AreReportedAtTheSecond()
    {
        var second = File().Replace("name: dnsmasq", "name: haproxy", StringComparison.Ordinal);
        System.IO.File.WriteAllText(_spec.Path, File() + "---\n" + second);

        var errors = SpecFile.ErrorsIn(_spec.Path);

        Assert.Equal(
            [$"{_spec.Path}:10:1: error: sidecar.wrapper: /var/lib/neutron/dnsmasq-wrapper is already the wrapper of service \"dnsmasq\" at {_spec.Path}:3:1; give each sidecar: service a wrapper path of its own"],
            errors);
    }

    /// <summary>
    /// A side-car service file: name (line 1), image (2), <c>sidecar:</c> (3) with wrapper (4), command (5) and key (6),
    /// each replaced by <paramref name="keys"/> where it names them, other keys from line 7 on.
    /// </summary>
    private static string File(params (string Key, string Value)[] keys)
    {
        var lines = new List<(string Key, string Value)>
        {
            ("wrapper", "/var/lib/neutron/dnsmasq-wrapper"),
            ("command", "[/usr/sbin/dnsmasq, -k]"),
            ("key", "netns"),
        };
        foreach (var (key, value) in keys)
        {
            var at = lines.FindIndex(line => line.Key == key);
            if (at >= 0)
            {
                lines[at] = (key, value);
            }
            else
            {
                lines.Add((key, value));
            }
        }

        return "name: dnsmasq\nimage: localhost/agent-tools:1\nsidecar:\n" + string.Concat(lines.Select(line => $"  {line.Key}: {line.Value}\n"));
    }
}
