using Azure.Core.Pipeline;
using Ragtune.Testing.Loopback;

namespace Ragtune.Azure.Tests.Loopback;

/// <summary>
/// An HTTP handler that sends requests for an <c>https://</c> service address to a <see cref="LoopbackServer"/> over
/// plain HTTP, path and query unchanged: the Azure AI Search client insists on https endpoints.
/// </summary>
public sealed class HttpsToLoopback(LoopbackServer server) : DelegatingHandler(new SocketsHttpHandler())
{
    /// <summary>The https address the client is given.</summary>
    public static Uri ServiceAddress { get; } = new("https://ragtune-test.search.windows.net/");

    /// <summary>An Azure SDK transport over this handler.</summary>
    public static HttpClientTransport Transport(LoopbackServer server) => new(new HttpsToLoopback(server));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.RequestUri = new Uri(server.BaseAddress, request.RequestUri!.PathAndQuery);
        return base.SendAsync(request, cancellationToken);
    }
}
