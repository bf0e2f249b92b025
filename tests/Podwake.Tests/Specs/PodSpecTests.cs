using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary><c>pod:</c> services: the pod file is read and checked with the service file, each problem at its own place.</summary>
public sealed class PodSpecTests : IDisposable
{
    internal const string TwoContainers = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers:
          - name: httpd
            image: localhost/busybox:1
            ports:
            - containerPort: 8080
            readinessProbe:
              httpGet: {path: /index.html, port: http}
          - name: writer
            image: localhost/busybox:1
            ports:
            - {containerPort: 5353, protocol: UDP, name: http}
        """;

    /// <summary>The pod file with its probe's port as a number (in <see cref="TwoContainers"/> it names the other container's port).</summary>
    internal static readonly string Fixed = TwoContainers.Replace("port: http}", "port: 8080}", StringComparison.Ordinal);

    private readonly SpecFile _spec = new();

    public void Dispose() => _spec.Dispose();

    private string PodPath => Path.Join(_spec.Directory.Path, "pod.yaml");

    [Fact]
    public void PodService_Loads_WithThePodFilesReadinessProbe()
    {
        _spec.Directory.Write("pod.yaml", Fixed);
        var spec = _spec.Load("""
            name: web
            pod: ./pod.yaml
            ports: [{listen: 8080, container: 8080}, {listen: 5353, container: 5353, protocol: udp}]
            """);

        Assert.Null(spec.Image);
        Assert.Equal(PodPath, spec.Pod);
        Assert.Equal("web", spec.Kube!.Name);
        Assert.Equal(["httpd", "writer"], spec.Kube.Containers.Select(c => c.Name));
        Assert.Equal(ReadyKind.Http, spec.Ready.Kind);
        Assert.Equal("/index.html", spec.Ready.HttpPath);
        Assert.Equal(8080, spec.Ready.Port);
        Assert.Equal("httpd", spec.Kube.ReadinessContainer);
    }

    [Fact]
    public void ReadyKey_WinsOverThePodFiles()
    {
        _spec.Directory.Write("pod.yaml", Fixed);
        var spec = _spec.Load("""
            name: web
            pod: ./pod.yaml
            ports: [{listen: 8080, container: 8080}]
            ready: {tcp: 8080}
            """);

        Assert.Equal(ReadyKind.Tcp, spec.Ready.Kind);
    }

    [Fact]
    public void APortThatIsNoContainerPort_NamesBothFiles()
    {
        _spec.Directory.Write("pod.yaml", Fixed);
        var errors = _spec.Errors("""
            name: web
            pod: ./pod.yaml
            ports: [{listen: 8080, container: 9090}, {listen: 5353, container: 5353}]
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:3:18: error: ports: container 9090/tcp is not a containerPort of {PodPath}: it declares httpd 8080/TCP at {PodPath}:10:22, writer 5353/UDP at {PodPath}:16:23; use one of those, or add containerPort: 9090 to the container that listens",
                $"{_spec.Path}:3:51: error: ports: container 5353/tcp is not a containerPort of {PodPath}: it declares httpd 8080/TCP at {PodPath}:10:22, writer 5353/UDP at {PodPath}:16:23; use one of those, or add containerPort: 5353 to the container that listens",
            ],
            errors);
    }

    [Fact]
    public void ContainerKeys_BelongInThePodFile()
    {
        _spec.Directory.Write("pod.yaml", Fixed);
        var errors = _spec.Errors("""
            name: web
            pod: ./pod.yaml
            ports: [{listen: 8080, container: 8080}]
            env: {A: b}
            command: [x]
            update: registry
            """);

        Assert.Equal(3, errors.Length);
        Assert.StartsWith($"{_spec.Path}:4:1: error: env: does not apply to a pod: service, whose containers {PodPath} describes; there: containers[].env", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"{_spec.Path}:5:1: error: command: does not apply", errors[1], StringComparison.Ordinal);
        Assert.StartsWith($"{_spec.Path}:6:1: error: update: does not apply", errors[2], StringComparison.Ordinal);
    }

    [Fact]
    public void PodFileProblems_AreReportedInThePodFile()
    {
        _spec.Directory.Write("pod.yaml", """
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 3
              template:
                spec:
                  hostNetwork: true
                  containers:
                  - name: web
                    ports: [{containerPort: 99999}]
            ---
            kind: Secret
            """);
        var errors = _spec.Errors("""
            name: web
            pod: ./pod.yaml
            ports: [{listen: 8080, container: 8080}]
            """);

        Assert.Equal(
            [
                $"{PodPath}:4:13: error: replicas: 3: podwake wakes one pod per service; set replicas: 1 (or remove it)",
                $"{PodPath}:7:20: error: hostNetwork: true is not supported: podwake reaches the pod in its own network namespace; remove it and let ports: listen on the host",
                $"{PodPath}:9:9: error: image: expected an image reference like localhost/web:1",
                $"{PodPath}:10:33: error: containerPort: expected a port number from 1 to 65535",
                $"{PodPath}:12:7: error: kind: \"Secret\" is not a kind podman kube play runs; use Pod or Deployment (ConfigMap, PersistentVolumeClaim and Service documents may go beside it)",
            ],
            errors);
    }

    [Fact]
    public void AFileWithoutAPod_IsReported()
    {
        _spec.Directory.Write("pod.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        var errors = _spec.Errors("""
            name: web
            pod: ./pod.yaml
            ports: [{listen: 8080, container: 8080}]
            """);

        Assert.Equal([$"{PodPath}:1:1: error: no Pod or Deployment in this file; pod: names a Kubernetes Pod or Deployment for podman kube play"], errors);
    }

    [Fact]
    public void ASecondPod_IsReportedAtItsKind()
    {
        _spec.Directory.Write("pod.yaml", Fixed + "\n---\n" + Fixed);
        var errors = _spec.Errors("""
            name: web
            pod: ./pod.yaml
            ports: [{listen: 8080, container: 8080}]
            """);

        Assert.Equal([$"{PodPath}:19:7: error: a second Pod: podwake runs one pod per service; put the other one in a service file of its own"], errors);
    }

    [Fact]
    public void AProbePortNamedInAnotherContainer_IsReported()
    {
        _spec.Directory.Write("pod.yaml", TwoContainers);
        var errors = _spec.Errors("""
            name: web
            pod: ./pod.yaml
            ports: [{listen: 8080, container: 8080}]
            """);

        Assert.Equal([$"{PodPath}:12:42: error: port: \"http\" is neither a port number nor the name of a port of container httpd"], errors);
    }

    [Fact]
    public void PodFileThatDoesNotExist_IsReported()
    {
        var errors = _spec.Errors("""
            name: web
            pod: ./k8s/pod.yaml
            ports: [{listen: 8080, container: 8080}]
            """);

        Assert.Equal([$"{_spec.Path}:2:6: error: pod: \"./k8s/pod.yaml\" does not exist (looked for {_spec.Directory.Path}/k8s/pod.yaml); fix the path"], errors);
    }
}
