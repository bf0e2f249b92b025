using Podwake.Podman;
using Podwake.Serve;
using Podwake.Specs;
using Podwake.Units;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary>
/// The keys a podman user reaches for in the first week: <c>resources:</c>, <c>env_file:</c>, <c>secrets:</c>,
/// <c>podman_args:</c>, <c>user:</c> (the user inside the container) and <c>run_as:</c> (the host account), and the
/// compose and Quadlet spellings that point to them.
/// </summary>
public sealed class ContainerSettingsTests : IDisposable
{
    private const string Head = "name: web\nimage: localhost/web:1\nports: [{listen: 8080, container: 80}]\n";

    private readonly SpecFile _spec = new();

    public void Dispose() => _spec.Dispose();

    private string Beside(string name, string text)
    {
        var path = Path.Join(_spec.Directory.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void AllSettings_LoadAndReachPodmanCreate_InOrder_EnvAfterEnvFile_ArgsBeforeImage()
    {
        var envFile = Beside("app.env", "# comment\n\nGREETING=from file\nOVERRIDDEN=file\nQUOTED=\"kept as written\"\n");
        var secretFile = Beside("db-pass", "s3cret\n");
        var spec = _spec.Load(Head + """
            env: {OVERRIDDEN: env}
            env_file: [./app.env]
            secrets:
              - {name: db-pass, file: ./db-pass, env: DB_PASSWORD}
              - {name: tls-key, target: /etc/tls/key.pem}
              - {name: plain}
            user: "1000:1000"
            resources: {memory: 256m, cpus: 0.5, pids: 512}
            podman_args: [--cap-drop=ALL, --read-only]
            """);

        Assert.Equal(256L * 1024 * 1024, spec.Resources.MemoryBytes);
        Assert.Equal(0.5m, spec.Resources.Cpus);
        Assert.Equal(512, spec.Resources.Pids);
        Assert.Equal("1000:1000", spec.User);
        Assert.Null(spec.RunAs);
        Assert.Equal(envFile, Assert.Single(spec.EnvFiles).Path);
        Assert.Equal(["--cap-drop=ALL", "--read-only"], spec.PodmanArgs);

        var words = UnitGenerator.CreateCommand(spec, new UnitGeneratorOptions(), "/run");
        Assert.True(words.IndexOf("--env-file") < words.IndexOf("-e"), string.Join(' ', words));
        Assert.Equal(envFile, words[words.IndexOf("--env-file") + 1]);
        Assert.Contains("podwake-web.db-pass,type=env,target=DB_PASSWORD", words);
        Assert.Contains("tls-key,type=mount,target=/etc/tls/key.pem", words);
        Assert.Contains("plain,type=mount,target=/run/secrets/plain", words);
        Assert.Equal("1000:1000", words[words.IndexOf("--user") + 1]);
        Assert.Equal(["--memory", "268435456", "--cpus", "0.5", "--pids-limit", "512"], words.Skip(words.IndexOf("--memory")).Take(6));
        Assert.Equal(["--cap-drop=ALL", "--read-only", "localhost/web:1"], words[^3..]);
        Assert.DoesNotContain(words, w => w.Contains("s3cret", StringComparison.Ordinal) || w.Contains("from file", StringComparison.Ordinal));

        var serve = ServeContainer.For(spec, rootless: false).Create;
        Assert.Equal("env", serve.Env!["OVERRIDDEN"]);
        Assert.Equal("from file", serve.Env["GREETING"]);
        Assert.Equal("\"kept as written\"", serve.Env["QUOTED"]);
        Assert.Equal("podwake-web.db-pass", serve.SecretEnv!["DB_PASSWORD"]);
        Assert.Equal(["/etc/tls/key.pem", "/run/secrets/plain"], serve.Secrets!.Select(s => s.Target));
        Assert.Equal(268435456, serve.ResourceLimits!.Memory!.Value);
        Assert.Equal(50_000, serve.ResourceLimits.Cpu!.Quota);
        Assert.Equal("1000:1000", serve.User);
    }

    [Fact]
    public void ChangedEnvFileOrSecretFile_ChangesTheCreateCommand_SoRedeployRecreatesTheContainer()
    {
        Beside("app.env", "A=1\n");
        Beside("pass", "one");
        var yaml = Head + "env_file: ./app.env\nsecrets: [{name: p, file: ./pass}]\n";
        var first = UnitGenerator.CreateCommand(_spec.Load(yaml), new UnitGeneratorOptions(), "/run");
        Assert.Equal(first, UnitGenerator.CreateCommand(_spec.Load(yaml), new UnitGeneratorOptions(), "/run"));

        Beside("app.env", "A=2\n");
        var envChanged = UnitGenerator.CreateCommand(_spec.Load(yaml), new UnitGeneratorOptions(), "/run");
        Beside("pass", "two");
        var secretChanged = UnitGenerator.CreateCommand(_spec.Load(yaml), new UnitGeneratorOptions(), "/run");

        Assert.NotEqual(first, envChanged);
        Assert.NotEqual(envChanged, secretChanged);
        Assert.DoesNotContain(secretChanged, w => w.Contains("two", StringComparison.Ordinal));
    }

    [Fact]
    public void SpecCopy_RoundTripsEveryNewKey()
    {
        Beside("app.env", "A=1\n");
        Beside("pass", "x");
        var spec = _spec.Load(Head + """
            env_file: [./app.env]
            secrets: [{name: p, file: ./pass, env: P}, {name: q, target: /q}]
            user: app
            resources: {memory: 1g, cpus: 2, pids: 64}
            podman_args: [--cap-drop=ALL]
            """);

        var copy = _spec.Load(SpecWriter.Write(spec));

        Assert.Equal(UnitGenerator.CreateCommand(spec, new UnitGeneratorOptions(), "/run"), UnitGenerator.CreateCommand(copy, new UnitGeneratorOptions(), "/run"));
    }

    [Fact]
    public void BadValues_AreReportedAtTheirPlace_WithTheFix()
    {
        Beside("bad.env", "GOOD=1\n  1BAD=x\nBARE\n");
        var errors = _spec.Errors(Head + """
            env_file: [./bad.env, ./missing.env]
            secrets: [{name: "no way", env: X}, {name: s, env: A, target: /a}, {name: t, file: ./nothing}]
            user: "not a user"
            resources: {memory: 5k, cpus: lots, pids: 0, swap: 1g}
            podman_args: [--network=host, -dit, -p8080:80, --name, x, --label=a=b]
            """);

        var bad = Path.Join(_spec.Directory.Path, "bad.env");
        Assert.Equal(
            [
                $"{_spec.Path}:4:23: error: env_file[1]: {Path.Join(_spec.Directory.Path, "missing.env")} does not exist; create it (NAME=value lines) or fix the path, which is relative to this file",
                $"{_spec.Path}:5:18: error: secrets[0].name: \"no way\" is not a secret name podwake uses; use up to 64 letters, digits, '_', '.' and '-', starting with a letter or digit",
                $"{_spec.Path}:5:55: error: secrets[1]: env and target cannot be used together; a secret is either a variable (env:) or a file (target:)",
                $"{_spec.Path}:5:84: error: secrets[2].file: {Path.Join(_spec.Directory.Path, "nothing")} does not exist; create it (its whole content is the secret) or fix the path, which is relative to this file",
                $"{_spec.Path}:6:7: error: user: \"not a user\" is not a user podman can run the container as; write a name or UID, optionally with a group: \"1000\", \"1000:1000\", \"app\" or \"app:app\"",
                $"{_spec.Path}:7:21: error: resources.memory: 5k is below podman's minimum of 6m; give at least 6m, e.g. memory: 256m",
                $"{_spec.Path}:7:31: error: resources.cpus: \"lots\" is not a number of CPUs; write one from 0.01 to 1024, e.g. cpus: 0.5 (half of one CPU's time)",
                $"{_spec.Path}:7:43: error: resources.pids: \"0\" is not a positive integer up to 4194304; give the most processes and threads, e.g. 512",
                $"{_spec.Path}:7:46: error: resources: unknown key \"swap\"; allowed keys: memory, cpus, pids",
                $"{_spec.Path}:8:15: error: podman_args[0]: --network is podwake's to set: podwake puts the container in its network namespace and proxies into it; remove it from podman_args",
                $"{_spec.Path}:8:31: error: podman_args[1]: -d (--detach) is podwake's to set: podwake starts the container itself; remove it from podman_args",
                $"{_spec.Path}:8:37: error: podman_args[2]: -p (--publish) is podwake's to set: ports: says where clients connect; podwake publishes what it needs itself; remove it from podman_args",
                $"{_spec.Path}:8:48: error: podman_args[3]: --name is podwake's to set: podwake names the container podwake-NAME after name:; remove it from podman_args",
                $"{_spec.Path}:8:59: error: podman_args[5]: --label is podwake's to set: podwake finds its containers by their labels; put your own labels in the image; remove it from podman_args",
                $"{bad}:2:3: error: \"1BAD\" is not a variable name; an env file has NAME=value lines (letters, digits and '_', not starting with a digit) and # comments",
                $"{bad}:3:1: error: BARE has no value; write BARE=VALUE (BARE= for an empty value): a bare name would take podman's own environment, which differs between serve, deploy and a wake",
            ],
            errors);
    }

    [Fact]
    public void PodmanArgs_ValuesOfOptionsAndUnownedShortFlags_AreAccepted()
    {
        var spec = _spec.Load(Head + "podman_args: [--cap-add, NET_ADMIN, -w/app, --workdir=/p, --tmpfs, /tmp, --ulimit=nofile=64:64]\n");

        Assert.Equal(7, spec.PodmanArgs.Count);
        Assert.Equal(
            [$"{_spec.Path}:4:15: error: podman_args[0]: \"cap\" is not an option; podman_args are podman create options (placed before the image), like --cap-drop=ALL; the container's command goes in command:"],
            _spec.Errors(Head + "podman_args: [cap, --x]\n"));
    }

    [Fact]
    public void OldStyleUser_NamingAServiceAccount_TellsToWriteRunAs_NumericAndWithRunAsAreTheContainersUser()
    {
        Assert.Null(_spec.Load(Head + "user: \"0\"\n").RunAs);
        Assert.Equal("root", _spec.Load(Head + "user: root\n").User);

        File.WriteAllText(_spec.Path, Head + "user: web\n");
        var parser = new ServiceParser(_spec.Path, _spec.Directory.Path) { HostAccount = name => name == "web" ? (1001, ServiceParser.ServiceAccountComment) : null };
        var parsed = parser.Parse(Document(File.ReadAllText(_spec.Path)));

        Assert.Null(parsed.Spec);
        Assert.Equal(
            $"{_spec.Path}:4:7: error: user: \"web\" names a host account, and user: is now the user inside the container (as in compose and Quadlet); to run the service rootless as host account web, write run_as: web instead; to mean a user inside the image, give its UID (user: \"1001\") or name:group",
            Assert.Single(parsed.Diagnostics).ToString());

        var withRunAs = new ServiceParser(_spec.Path, _spec.Directory.Path) { HostAccount = _ => (1001, ServiceParser.ServiceAccountComment) };
        var both = withRunAs.Parse(Document(Head + "user: web\nrun_as: web\n"));
        Assert.True(both.Spec is not null, string.Join('\n', both.Diagnostics));
        Assert.Equal("web", both.Spec.User);
        Assert.Equal("web", both.Spec.RunAs);
    }

    private static YamlDotNet.RepresentationModel.YamlNode Document(string yaml)
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    [Theory]
    [InlineData("environment: {A: b}", "compose's environment: is env: here, a mapping like env: { GREETING: hello }")]
    [InlineData("healthcheck: {}", "compose's healthcheck: is ready: here (tcp: PORT, http: /path or exec: [cmd]), which also gates the first request")]
    [InlineData("restart_policy: always", "compose's deploy.restart_policy is restart: here (no, on-failure or always)")]
    [InlineData("mem_limit: 1g", "compose's mem_limit: is resources.memory here, e.g. resources: { memory: 256m }")]
    [InlineData("Image: x", "Quadlet's Image= is image: here")]
    [InlineData("PublishPort: 8080:80", "Quadlet's PublishPort= is ports: here: - listen: 127.0.0.1:8080 (host side) with container: 80")]
    [InlineData("PodmanArgs: --x", "Quadlet's PodmanArgs= is podman_args: here, a list like [--cap-drop=ALL]")]
    [InlineData("EnvironmentFile: a", "Quadlet's EnvironmentFile= is env_file: here, e.g. env_file: [./app.env]")]
    public void ComposeAndQuadletSpellings_PointToPodwakesKey(string line, string counterpart)
    {
        Assert.Equal([$"{_spec.Path}:4:1: error: unknown key \"{line.Split(':')[0]}\": {counterpart}"], _spec.Errors(Head + line + "\n"));
    }

    [Fact]
    public void ComposePortItemSpellings_PointToListenAndContainer()
    {
        Assert.Equal(
            [$"{_spec.Path}:3:10: error: ports[0]: unknown key \"target\": compose's target: is container: here, the port inside the container"],
            _spec.Errors("name: web\nimage: x\nports: [{target: 80, listen: 8080, container: 80}]\n"));
    }

    [Fact]
    public void PodService_RefusesTheContainerSettings_SayingWhereTheyGoInThePodFile()
    {
        Beside("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x\n    ports: [{containerPort: 80}]\n");
        var errors = _spec.Errors("name: web\npod: ./pod.yaml\nports: [{listen: 8080, container: 80}]\nuser: \"1\"\nresources: {memory: 64m}\npodman_args: [--x]\n");

        Assert.Contains(errors, e => e.Contains("user: does not apply to a pod: service", StringComparison.Ordinal) && e.Contains("securityContext.runAsUser", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("resources: does not apply to a pod: service", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("podman_args: does not apply to a pod: service", StringComparison.Ordinal));
    }

    [Fact]
    public void ServeWithPodmanArgs_CreatesThroughTheCli_WithTheSameSettingsAsTheApiRequest()
    {
        Beside("pass", "x");
        var spec = _spec.Load(Head + "user: \"1\"\nresources: {memory: 64m, cpus: 1.5}\nsecrets: [{name: p, file: ./pass}]\npodman_args: [--cap-drop=ALL]\n");

        var words = ContainerCreateCommand.Of(ServeContainer.For(spec, rootless: true).Create, spec.PodmanArgs);

        Assert.Equal(["create", "--name", "podwake-web"], words[..3]);
        Assert.Contains("--init", words);
        Assert.Contains("podwake-web.p,type=mount,target=/run/secrets/p", words);
        Assert.Equal(["--cpu-quota", "150000", "--cpu-period", "100000"], words.Skip(words.IndexOf("--cpu-quota")).Take(4));
        Assert.Single(words, w => w.StartsWith("127.0.0.1:", StringComparison.Ordinal) && w.EndsWith(":80/tcp", StringComparison.Ordinal));
        Assert.Equal(["--cap-drop=ALL", "localhost/web:1"], words[^2..]);
    }
}
