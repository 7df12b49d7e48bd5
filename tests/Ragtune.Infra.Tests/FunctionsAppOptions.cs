using Ragtune.Functions;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ragtune.Azure;
using Ragtune.Core;
using Ragtune.OpenAI;

namespace Ragtune.Infra.Tests;

/// <summary>
/// The options the Functions app binds from configuration, taken from the code's own registrations: what
/// <see cref="Register"/> adds is what the app validates at start, and the keys it reads are whatever those options
/// types read when they are bound.
/// </summary>
internal static class FunctionsAppOptions
{
    /// <summary>
    /// Registers the app's options as <c>src/Ragtune.Functions/Program.cs</c> does: Core's services, the Azure adapters and
    /// the app's own settings (the timers' schedules), each options type bound from its section and validated at start.
    /// </summary>
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRagtuneCore();
        services.AddRagtuneAzure(configuration);
        services.AddRagtuneAzureOpenAIEmbeddings();
        services.AddRagtuneChat();
        services.AddRagtuneFineTuning();
        services.AddRagtuneFunctions();
    }

    /// <summary>A service provider of the app's options over the given configuration.</summary>
    public static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        Register(services, configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Every options type the registration binds (each has an <see cref="IConfigureOptions{TOptions}"/>).</summary>
    public static IReadOnlyList<Type> Types()
    {
        var services = new ServiceCollection();
        Register(services, new ConfigurationBuilder().Build());
        return services.Select(descriptor => descriptor.ServiceType)
            .Where(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(type => type.GetGenericArguments()[0])
            .Distinct()
            .ToList();
    }

    /// <summary>Creates an options instance as the app would (bound, then validated); a validation failure is thrown.</summary>
    public static object Create(IServiceProvider provider, Type optionsType)
    {
        var factory = provider.GetRequiredService(typeof(IOptionsFactory<>).MakeGenericType(optionsType));
        try
        {
            return factory.GetType().GetMethod(nameof(IOptionsFactory<object>.Create))!.Invoke(factory, [Options.DefaultName])!;
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }
}
