using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Ragtune.OpenAI.Tests.Packages;

/// <summary>
/// The OpenAI-family packages in Directory.Packages.props are a pairing their authors support: every method, constructor
/// and field one of them references in another exists at run time. Azure.AI.OpenAI reaches into OpenAI's internals, so
/// a newer OpenAI than it was built against fails in the middle of a call (azure-sdk-for-net issue 53986:
/// <c>MissingMethodException</c> for <c>ChatCompletionOptions.SerializedAdditionalRawData</c> in AzureChatClient with
/// Azure.AI.OpenAI 2.1.0 and OpenAI 2.7; issue 60689: the <c>ResponsesClient</c> constructor with 2.9.0-beta.1 and a
/// newer OpenAI). Here each reference is resolved as the runtime would on first call.
/// </summary>
public sealed class SdkPairingTests
{
    public static TheoryData<string> Assemblies => new()
    {
        typeof(AzureOpenAIClient).Assembly.GetName().Name!,
        typeof(OpenAIClientExtensions).Assembly.GetName().Name!,
        typeof(OpenAIClient).Assembly.GetName().Name!,
        typeof(IChatClient).Assembly.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void MemberReferences_OfEachPackage_AllResolve(string assemblyName)
    {
        var assembly = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == assemblyName);

        var (resolved, missing) = ResolveMemberReferences(assembly);

        Assert.Empty(missing);
        Assert.True(resolved > 100, $"only {resolved} member references of {assemblyName} resolved: the check found nothing to check");
    }

    /// <summary>Resolves every member reference (a call, constructor or field in another assembly) of <paramref name="assembly"/>.</summary>
    private static (int Resolved, List<string> Missing) ResolveMemberReferences(Assembly assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var metadata = pe.GetMetadataReader();
        var resolved = 0;
        var missing = new List<string>();
        foreach (var reference in metadata.MemberReferences)
        {
            try
            {
                assembly.ManifestModule.ResolveMember(MetadataTokens.GetToken(reference));
                resolved++;
            }
            catch (Exception exception) when (exception is MissingMemberException or TypeLoadException)
            {
                missing.Add(exception.Message);
            }
            catch (ArgumentException)
            {
                // A member of a generic type instantiated with the caller's own type parameters: it needs the caller's context.
            }
        }

        return (resolved, missing);
    }
}
