using System.Text;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Documents;

public sealed class HtmlNestingTests
{
    [Theory]
    [InlineData("<p>plain</p>", 0)]
    [InlineData("<div><section><span>x</span></section></div>", 3)]
    [InlineData("<div></div><div></div><div></div>", 1)]
    [InlineData("<div><br><img src=a.png><hr/><input></div>", 1)]
    [InlineData("<div><p>one<p>two<li>three<td>four</div>", 1)]
    [InlineData("<script>var s = '<div><div><div>';</script><div>", 1)]
    [InlineData("<STYLE>div > div { }</style><DIV><Div>", 2)]
    [InlineData("<!-- <div><div><div> --><div>", 1)]
    [InlineData("<div title=\"a > b\"><span data-x='<div>'>x</span></div>", 2)]
    [InlineData("<svg><path d=\"M0\"/><circle/></svg>", 1)]
    [InlineData("</div></div><div>", 1)]
    [InlineData("a < b and 3<4", 0)]
    public void MaxDepth_CountsElementsThatStayOpen(string html, int expected)
    {
        Assert.Equal(expected, HtmlNesting.MaxDepth(Encoding.UTF8.GetBytes(html)));
    }
}
