using Podwake.Pods;
using Podwake.Tests.Specs;
using Xunit;

namespace Podwake.Tests.Pods;

/// <summary>What podwake plays for a <c>pod:</c> service: the user's file, its workload made podwake's Pod.</summary>
public sealed class KubePlayFileTests : IDisposable
{
    private readonly SpecFile _spec = new();

    public void Dispose() => _spec.Dispose();

    [Fact]
    public void ADeployment_BecomesTheServicesPod_RootfulPublishingOnlyTheUsersHostPorts_OwnEmptyDirs()
    {
        _spec.Directory.Write("pod.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {A: b}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 1
              template:
                metadata:
                  labels: {app: web}
                spec:
                  restartPolicy: Always
                  containers:
                  - name: httpd
                    image: localhost/busybox:1
                    ports:
                    - {containerPort: 8080, hostPort: 80}
                    - {containerPort: 9000, hostPort: 9000}
                    - {containerPort: 7000}
                    volumeMounts: [{name: scratch, mountPath: /tmp}, {name: config, mountPath: /etc/web}]
                  volumes:
                  - {name: scratch, emptyDir: {}}
                  - {name: config, hostPath: {path: /srv/web}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            """);
        var spec = _spec.Load("name: web\npod: ./pod.yaml\nports: [{listen: 8080, container: 8080}]\n");

        var text = KubePlayFile.Render(spec, "serve", publishedPorts: null);

        // The forwarded 8080 is left out: podman 4.3 publishes a containerPort without hostPort on the host's port 8080.
        // Flow mappings stay flow mappings (YamlDotNet keeps the style it read); "..." ends each document.
        Assert.Equal(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {A: b}
            ...
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: podwake-web
              labels: {app: web, io.podwake.service: web, io.podwake.manager: serve}
            spec:
              restartPolicy: Never
              containers:
              - name: httpd
                image: localhost/busybox:1
                ports:
                - {containerPort: 9000, hostPort: 9000}
                volumeMounts: [{name: podwake-web-scratch, mountPath: /tmp}, {name: config, mountPath: /etc/web}]
              volumes:
              - {name: podwake-web-scratch, emptyDir: {}}
              - {name: config, hostPath: {path: /srv/web}}
            ...

            """,
            text);
    }

    [Fact]
    public void Rootless_PublishesTheForwardedPortsOnLoopback()
    {
        _spec.Directory.Write("pod.yaml", PodSpecTests.Fixed);
        var spec = _spec.Load("name: web\npod: ./pod.yaml\nports: [{listen: 8080, container: 8080}, {listen: 5353, container: 5353, protocol: udp}]\n");

        var text = KubePlayFile.Render(spec, "systemd", new Dictionary<int, int> { [8080] = 41000, [5353] = 41001 });

        Assert.Contains("- containerPort: 8080\n      hostIP: 127.0.0.1\n      hostPort: 41000\n", text, StringComparison.Ordinal);
        Assert.Contains("- {containerPort: 5353, protocol: UDP, name: http, hostIP: 127.0.0.1, hostPort: 41001}\n", text, StringComparison.Ordinal);
        Assert.Contains("  restartPolicy: Never\n", text, StringComparison.Ordinal);
        Assert.Contains("io.podwake.manager: systemd", text, StringComparison.Ordinal);
        Assert.Contains("name: podwake-web\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyDirVolumes_AreNamedPerService_MountsFollow()
    {
        // podman 4.3 names an emptyDir's volume as the file does: two pods with an emptyDir "share" shared one volume.
        _spec.Directory.Write("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers:
              - name: httpd
                image: localhost/busybox:1
                ports: [{containerPort: 8080}]
                volumeMounts: [{name: share, mountPath: /www}, {name: data, mountPath: /data}]
              volumes:
              - {name: share, emptyDir: {}}
              - {name: data, persistentVolumeClaim: {claimName: web-data}}
            """);
        var spec = _spec.Load("name: web\npod: ./pod.yaml\nports: [{listen: 8080, container: 8080}]\n");

        var text = KubePlayFile.Render(spec, "systemd", publishedPorts: null);

        Assert.Contains("volumeMounts: [{name: podwake-web-share, mountPath: /www}, {name: data, mountPath: /data}]", text, StringComparison.Ordinal);
        Assert.Contains("- {name: podwake-web-share, emptyDir: {}}", text, StringComparison.Ordinal);
        Assert.Equal(["web-data"], KubePlayFile.Claims(text));
        Assert.DoesNotContain("ports", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedPorts_ReadBackFromTheRenderedFile()
    {
        _spec.Directory.Write("pod.yaml", PodSpecTests.Fixed);
        var spec = _spec.Load("name: web\npod: ./pod.yaml\nports: [{listen: 8080, container: 8080}, {listen: 5353, container: 5353, protocol: udp}]\n");
        var published = new Dictionary<int, int> { [8080] = 41000, [5353] = 41001 };

        var text = KubePlayFile.Render(spec, "systemd", published);

        Assert.Equal(published, KubePlayFile.PublishedPorts(text));
        Assert.Empty(KubePlayFile.PublishedPorts(KubePlayFile.Render(spec, "systemd", null)));
    }

    [Fact]
    public void ClaimDocuments_AreLeftOut_TheirClaimsReadBack()
    {
        _spec.Directory.Write("pod.yaml", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: web-data}\n---\n"
            + PodSpecTests.Fixed + "\n  volumes: [{name: data, persistentVolumeClaim: {claimName: web-data}}]\n");
        var spec = _spec.Load("name: web\npod: ./pod.yaml\nports: [{listen: 8080, container: 8080}]\n");

        var text = KubePlayFile.Render(spec, "serve", publishedPorts: null);

        Assert.DoesNotContain("kind: PersistentVolumeClaim", text, StringComparison.Ordinal);
        Assert.Equal(["web-data"], KubePlayFile.Claims(text));
    }

    [Fact]
    public void TheServiceContainersName_IsTheHashOfThePlayedBytes()
    {
        // podman 4.3 names it so (seen: a played file whose sha256sum starts 10e1b96923f7 made 10e1b96923f7-service).
        Assert.Equal("af0e5d10555f-service", PodNames.ServiceContainer("kind: Pod\n"));
        Assert.NotEqual(PodNames.ServiceContainer("kind: Pod\n"), PodNames.ServiceContainer("kind: Pod\n\n"));
    }
}
