using System.Net;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Serve;

/// <summary>
/// A <c>pod:</c> service with a PersistentVolumeClaim: its volume is kept when serve exits (the data), and the next
/// serve of the same file uses it. Before: the second serve failed at start, podman 4.3's kube play refusing the claim
/// ("volume with name X already exists"); a redeploy after undeploy failed the same way.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class PodClaimTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _claim = TestNames.Unique() + "-data";

    public void Dispose()
    {
        PodwakeCli.RunProgramAsync("podman", "volume", "rm", "-f", _claim).GetAwaiter().GetResult();
        _dir.Dispose();
    }

    [PodmanFact]
    public async Task ClaimVolume_IsKeptAtExit_AndTheNextServeUsesItsData()
    {
        await TestImages.BusyboxAsync();
        var port = FreePorts.Next();
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        File.WriteAllText(Path.Combine(_dir.Path, "pod.yaml"), $$"""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: {{_claim}}
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers:
              - name: httpd
                image: {{TestImages.Busybox}}
                command: [/bin/busybox, sh, -c, 'trap "exit 0" TERM; echo run >> /data/index.html; /bin/busybox httpd -f -p 8080 -h /data & wait']
                ports: [{containerPort: 8080}]
                volumeMounts: [{name: data, mountPath: /data}]
              volumes:
              - name: data
                persistentVolumeClaim:
                  claimName: {{_claim}}
            """);
        var file = Path.Combine(_dir.Path, "service.yaml");
        File.WriteAllText(file, $$"""
            name: {{TestNames.Unique()["podwake-".Length..]}}
            pod: ./pod.yaml
            ports: [{listen: "127.0.0.1:{{port}}", container: 8080}]
            """);

        string first;
        await using (var serve = await ServeProcess.StartServingAsync(file))
        {
            first = (await RawHttp.GetAsync(endpoint)).Body;
        }

        await using var again = await ServeProcess.StartServingAsync(file);
        var second = (await RawHttp.GetAsync(endpoint)).Body;

        // Each play runs the pod once (then stops it) and each wake once more: the second serve's page has more lines.
        Assert.Contains("run", first, StringComparison.Ordinal);
        Assert.True(second.Split("run").Length > first.Split("run").Length, $"first: {first}\nsecond: {second}\n{again.Stderr}");
    }
}
