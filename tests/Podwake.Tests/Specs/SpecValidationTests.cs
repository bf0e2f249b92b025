using Xunit;

namespace Podwake.Tests.Specs;

/// <summary>Each mistake gives one exact <c>FILE:LINE:COL: error: MESSAGE</c> pointing at the key or value.</summary>
public sealed class SpecValidationTests : IDisposable
{
    private readonly SpecFile _spec = new();

    public void Dispose() => _spec.Dispose();

    [Fact]
    public void MisspeltKey_SuggestsTheNearestAndListsAllowedKeys()
    {
        var errors = _spec.Errors("""
            name: web
            imgae: web
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:1:1: error: image is required; add e.g. image: localhost/hello:1 or docker.io/library/nginx:1.27 (or pod: for a Kubernetes pod file)",
                $"{_spec.Path}:2:1: error: unknown key \"imgae\"; did you mean \"image\"? allowed keys: name, image, build, command, env, env_file, secrets, volumes, user, resources, podman_args, ports, idle, ready, restart, update, run_as, expose, pod, hold, udp, sidecar",
            ],
            errors);
    }

    [Fact]
    public void InvalidName_SaysWhatANameMayHold()
    {
        var errors = _spec.Errors("""
            name: Web_1
            image: web
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal(
            [$"{_spec.Path}:1:7: error: name: \"Web_1\" is not a valid name; use 1 to 48 lowercase letters, digits and '-', starting with a letter or digit (e.g. hello)"],
            errors);
    }

    [Fact]
    public void MissingName_PointsAtTheServiceStart()
    {
        var errors = _spec.Errors("""
            # a comment first
            image: web
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal([$"{_spec.Path}:2:1: error: name is required; add e.g. name: hello (lowercase letters, digits and '-')"], errors);
    }

    [Fact]
    public void UppercaseImageRepository_IsAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: localhost/MyWeb:1
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal([$"{_spec.Path}:2:8: error: image: \"localhost/MyWeb:1\" is not a valid image reference: the repository \"MyWeb\" must be lowercase"], errors);
    }

    [Fact]
    public void ImageWithSpace_IsAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: "nginx latest"
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal([$"{_spec.Path}:2:8: error: image: \"nginx latest\" is not a valid image reference: it contains a space"], errors);
    }

    [Fact]
    public void IdleWithUnknownUnit_ExplainsDurations()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            idle: 30x
            """);

        Assert.Equal(
            [$"{_spec.Path}:4:7: error: idle: \"30x\" is not a duration; use a number with ms, s, m or h (e.g. 30s, 1m30s) or \"never\""],
            errors);
    }

    [Fact]
    public void IdleWithoutUnit_AsksForAUnit()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            idle: 30
            """);

        Assert.Equal([$"{_spec.Path}:4:7: error: idle: \"30\" has no unit; add one of ms, s, m or h (e.g. 30s)"], errors);
    }

    [Fact]
    public void CommandAsAString_AsksForAList()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            command: httpd -f -p 8080
            ports: [{listen: 8080, container: 8080}]
            """);

        Assert.Equal(
            [$"{_spec.Path}:3:10: error: command: expected a list of strings, found \"httpd -f -p 8080\"; write it as a list, like [/bin/sh, -c, \"...\"]"],
            errors);
    }

    [Fact]
    public void InvalidEnvName_IsAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            env:
              MY-VAR: 1
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal(
            [$"{_spec.Path}:4:3: error: env: \"MY-VAR\" is not a valid variable name; use letters, digits and '_', not starting with a digit (e.g. GREETING)"],
            errors);
    }

    [Fact]
    public void EnvWithoutValue_AsksForAnExplicitEmptyString()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            env: {TOKEN: }
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal([$"{_spec.Path}:3:14: error: env.TOKEN: has no value; write TOKEN: \"\" for an empty value"], errors);
    }

    [Fact]
    public void RelativeVolumeTarget_MustBeAbsolute()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            volumes: ["./www:www"]
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal([$"{_spec.Path}:3:11: error: volumes[0]: the container path \"www\" must be absolute; e.g. \"./www:/www\""], errors);
    }

    [Fact]
    public void MisspeltVolumeOption_SuggestsTheOption()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            volumes: ["data:/data:r0"]
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal(
            [$"{_spec.Path}:3:11: error: volumes[0]: unknown option \"r0\"; did you mean \"ro\"? use one of ro, rw, z, Z, U, O, copy, nocopy, dev, nodev, exec, noexec, suid, nosuid, bind, rbind, shared, rshared, slave, rslave, private, rprivate, unbindable, runbindable, idmap"],
            errors);
    }

    [Fact]
    public void UnknownRestartPolicy_ListsThePolicies()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            restart: on_failure
            """);

        Assert.Equal(
            [$"{_spec.Path}:4:10: error: restart: \"on_failure\" is not a restart policy; did you mean \"on-failure\"? use no, on-failure or always"],
            errors);
    }

    [Fact]
    public void UnknownUpdatePolicy_ListsThePolicies()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            update: auto
            """);

        Assert.Equal([$"{_spec.Path}:4:9: error: update: \"auto\" is not an update policy; use none, registry or local"], errors);
    }

    [Fact]
    public void BuildWithoutImage_AsksForTheImageName()
    {
        _spec.Directory.Write("Containerfile", "FROM scratch\n");
        var errors = _spec.Errors("""
            name: web
            build: .
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:1:1: error: image is required; add e.g. image: localhost/hello:1 or docker.io/library/nginx:1.27 (or pod: for a Kubernetes pod file)",
                $"{_spec.Path}:2:1: error: build needs image: to name the image it builds; add e.g. image: localhost/web:latest",
            ],
            errors);
    }

    [Fact]
    public void BuildContextThatDoesNotExist_ShowsWhereItLooked()
    {
        var errors = _spec.Errors("""
            name: web
            image: localhost/web:1
            build: ./app
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal(
            [$"{_spec.Path}:3:8: error: build: directory \"./app\" does not exist (looked for {_spec.Directory.Path}/app); create it or fix the path"],
            errors);
    }

    [Fact]
    public void ContainerfileRelativeToTheContext_SuggestsThePathFromTheFile()
    {
        _spec.Directory.Write("app/Containerfile", "FROM scratch\n");
        var errors = _spec.Errors("""
            name: web
            image: localhost/web:1
            build:
              context: app
              containerfile: Containerfile
            ports: [{listen: 8080, container: 80}]
            """);

        Assert.Equal(
            [$"{_spec.Path}:5:18: error: build.containerfile: \"Containerfile\" does not exist (looked for {_spec.Directory.Path}/Containerfile); paths are relative to this file's directory: did you mean ./app/Containerfile?"],
            errors);
    }

    [Fact]
    public void HoldOfZero_IsAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            hold: 0
            """);

        Assert.Equal(
            [$"{_spec.Path}:4:7: error: hold: \"0\" is not a positive integer; give the most connections to hold while waking, e.g. hold: 512"],
            errors);
    }

    [Fact]
    public void ImageAndPod_CannotBeCombined()
    {
        _spec.Directory.Write("pod.yaml", PodSpecTests.Fixed);
        var errors = _spec.Errors("""
            name: web
            image: web
            pod: ./pod.yaml
            ports: [{listen: 8080, container: 8080}]
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:3:1: error: image and pod cannot be used together; keep image for one container, or pod for a Kubernetes pod file",
            ],
            errors);
    }

    [Fact]
    public void YamlSyntaxError_IsReportedAtItsMark()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - listen: [::1]:8080
            """);

        Assert.Equal(
            [$"{_spec.Path}:4:19: error: invalid YAML: while parsing a block mapping, did not find expected key; quote values that start with '[', e.g. listen: \"[::1]:8080\""],
            errors);
    }

    [Fact]
    public void DuplicateKey_IsReportedAtTheSecond()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            name: other
            """);

        Assert.Equal([$"{_spec.Path}:3:1: error: duplicate key \"name\"; each key may appear once"], errors);
    }

    [Fact]
    public void DocumentThatIsNotAMapping_IsAnError()
    {
        var errors = _spec.Errors("""
            - name: web
            """);

        Assert.Equal([$"{_spec.Path}:1:1: error: expected a service: a mapping of keys such as name, image and ports; found a list"], errors);
    }

    [Fact]
    public void EmptyFile_HasNoService()
    {
        var errors = _spec.Errors("# nothing here yet\n");

        Assert.Equal([$"{_spec.Path}:1:1: error: no service in this file; a service needs at least name, image and ports"], errors);
    }

    [Fact]
    public void PathThatDoesNotExist_IsReportedAsGiven()
    {
        Assert.Equal(["no/such/service.yaml: error: no such file or directory"], SpecFile.ErrorsIn("no/such/service.yaml"));
    }

    [Fact]
    public void SeveralMistakes_AreAllReportedInFileOrder()
    {
        var errors = _spec.Errors("""
            name: -web
            image: web
            ports:
              - listen: 8080
                container: 0
                protocol: sctp
            idle: 5 minutes
            ready:
              tcp: 80
              timeout: soon
            restart: sometimes
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:1:7: error: name: \"-web\" is not a valid name; use 1 to 48 lowercase letters, digits and '-', starting with a letter or digit (e.g. hello)",
                $"{_spec.Path}:5:16: error: ports[0].container: 0 is out of range; use a port number from 1 to 65535",
                $"{_spec.Path}:6:15: error: ports[0].protocol: \"sctp\" is not a protocol; use tcp or udp",
                $"{_spec.Path}:7:7: error: idle: \"5 minutes\" is not a duration; use a number with ms, s, m or h (e.g. 30s, 1m30s) or \"never\"",
                $"{_spec.Path}:10:12: error: ready.timeout: \"soon\" is not a duration; use a number with ms, s, m or h (e.g. 30s, 1m30s)",
                $"{_spec.Path}:11:10: error: restart: \"sometimes\" is not a restart policy; use no, on-failure or always",
            ],
            errors);
    }
}
