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
                var change = file.Change switch
                {
                    FileChange.Create => "create",
                    FileChange.Update => "update",
                    FileChange.Remove => "remove",
                    _ => "unchanged",
                };
                text.Append($"  {change,-13} {file.Path}\n");
            }

            text.Append(service.Image switch
            {
                ImageAction.Build => $"  image         build {service.Spec.Image} from {service.Spec.Build!.Context}\n",
                ImageAction.Pull => $"  image         pull {service.Spec.Image}\n",
                _ => $"  image         present {service.Spec.Image}\n",
            });
            text.Append(service.Container switch
            {
                ContainerAction.Create => $"  container     create {service.Spec.ContainerName}\n",
                ContainerAction.Recreate => $"  container     recreate {service.Spec.ContainerName} (create command or image changed)\n",
                _ => service.Image == ImageAction.Build
                    ? $"  container     keep {service.Spec.ContainerName} (recreated if the build changes the image)\n"
                    : $"  container     keep {service.Spec.ContainerName}\n",
            });
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
