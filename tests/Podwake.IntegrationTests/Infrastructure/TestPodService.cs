using System.Net;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A <c>pod:</c> service for one test: a unique name, a free loopback port, a two-container pod from the busybox test
/// image — httpd serving an emptyDir volume into which the second container writes a token unique to the service.
/// </summary>
internal sealed record TestPodService(string Name, string File, string Token, IPEndPoint Endpoint)
{
    public string Pod => $"podwake-{Name}";

    /// <summary>A container of the pod, as podman kube play names it.</summary>
    public string Member(string container) => $"{Pod}-{container}";

    public static TestPodService Create(string directory, string idle, string volume = "share")
    {
        var name = TestNames.Unique()["podwake-".Length..];
        var token = $"token-{Guid.NewGuid():N}";
        var port = FreePorts.Next();
        var folder = Path.Combine(directory, name);
        Directory.CreateDirectory(folder);

        // httpd serves the emptyDir the writer fills; both handle SIGTERM (busybox as PID 1 would ignore it: 10 s stops).
        System.IO.File.WriteAllText(Path.Combine(folder, "pod.yaml"), $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
              - name: httpd
                image: {{TestImages.Busybox}}
                command: [/bin/busybox, sh, -c, 'trap "exit 0" TERM; /bin/busybox httpd -f -p 8080 -h /www & wait']
                ports:
                - containerPort: 8080
                readinessProbe:
                  httpGet: {path: /index.html, port: 8080}
                volumeMounts:
                - {name: {{volume}}, mountPath: /www}
              - name: writer
                image: {{TestImages.Busybox}}
                command: [/bin/busybox, sh, -c, 'trap "exit 0" TERM; echo {{token}} > /www/index.html; /bin/busybox sleep 3600 & wait']
                volumeMounts:
                - {name: {{volume}}, mountPath: /www}
              volumes:
              - name: {{volume}}
                emptyDir: {}
            """);
        var file = Path.Combine(folder, "service.yaml");
        System.IO.File.WriteAllText(file, $$"""
            name: {{name}}
            pod: ./pod.yaml
            ports: [{listen: "127.0.0.1:{{port}}", container: 8080}]
            idle: {{idle}}
            """);
        return new TestPodService(name, file, token, new IPEndPoint(IPAddress.Loopback, port));
    }
}
