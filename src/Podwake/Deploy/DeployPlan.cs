namespace Podwake.Deploy;

/// <summary>What <c>podwake deploy</c> will do, per service; <c>--dry-run</c> prints it.</summary>
internal sealed record DeployPlan(IReadOnlyList<ServicePlan> Services)
{
    /// <summary>Readable lines: per service its target, then one line per file, image, container and restart.</summary>
    public string Describe()
    {
        var text = new System.Text.StringBuilder();
        foreach (var service in Services)
        {
            text.Append($"{service.Spec.Name}: into {service.Target.Describe()} ({service.Target.Manager.UnitDirectory})");
            text.Append(service.ChangesAnything ? "\n" : ": unchanged\n");
            if (service.Target.CreateUser)
            {
                text.Append($"  create user   {service.Target.User!.Name} (home {service.Target.User.Home}, subuid/subgid, user manager)\n");
            }

            foreach (var file in service.Files)
            {
                text.Append($"  {file.Change.ToText(),-13} {file.Path}\n");
            }

            if (service.Sidecar is { } sidecar)
            {
                text.Append($"  {sidecar.WrapperChange.ToText(),-13} {sidecar.Wrapper} (the wrapper)\n");
                text.Append($"  {(sidecar.StateExists ? "keep" : "create"),-13} {sidecar.StateDirectory}/ (the state folder{(sidecar.StateExists ? ", its list of keys kept" : "")})\n");
            }

            var images = service.Spec.Kube is { } kube ? string.Join(", ", kube.Containers.Select(c => c.Image).Distinct()) : service.Spec.Image;
            text.Append($"  image         {service.Image.ToText()} {images}");
            text.Append(service.Image == ImageAction.Build ? $" from {service.Spec.Build!.Context}\n" : "\n");
            if (service.Sidecar is not null)
            {
                var sync = Units.UnitGenerator.SidecarServiceUnitName(service.Spec.Name);
                text.Append($"  containers    one per key, made by {sync} (podwake sidecar sync), none by deploy\n");
                text.Append(service.ChangesAnything || service.Image == ImageAction.Build
                    ? $"  run           {sync} once (new or changed: the keys in the list run again)\n"
                    : "");
                continue;
            }

            text.Append(service.Spec.Kube is null
                ? $"  container     {service.Container.ToText()} {service.Spec.ContainerName}"
                : $"  pod           {(service.Container == ContainerAction.Keep ? "keep" : "play")} {service.Spec.ContainerName} and its service container");
            text.Append(service.Container switch
            {
                ContainerAction.Recreate when service.Spec.Kube is not null => " (its play file or an image of it changed)\n",
                ContainerAction.Recreate => " (create command or image changed)\n",
                ContainerAction.Keep when service.Image == ImageAction.Build => " (recreated if the build changes the image)\n",
                _ => "\n",
            });
            if (service.CreateCommand is { } create && service.Container != ContainerAction.Keep)
            {
                // What will run, to read before it does (secrets by name: their values never pass through a command line).
                text.Append($"  create        {Units.ShellWords.Join(create)}\n");
            }

            if (service.RestartsRunning)
            {
                text.Append("  restart       the activator and container if they run (the socket keeps listening)\n");
            }

            if (service.SocketListenChanged)
            {
                text.Append("  restart       the socket (its listen addresses changed)\n");
            }
        }

        return text.ToString();
    }
}
