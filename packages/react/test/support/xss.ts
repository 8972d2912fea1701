// Payer and clearinghouse text reaches the screen (remark codes' wording, payer names, claim notes, 835 free text).
// Every component that shows such text must render it as text: a test feeds these through it and checks that no
// element, attribute or script came out of them. The corpus follows the classic filter-evasion families.
export const xssPayloads: ReadonlyArray<string> = [
  "<script>window.__openrcmXss = 1</script>",
  '<img src=x onerror="window.__openrcmXss = 1">',
  "<svg onload=window.__openrcmXss=1>",
  '"><script>window.__openrcmXss = 1</script>',
  "'><img src=x onerror=window.__openrcmXss=1>",
  "javascript:window.__openrcmXss=1",
  '<a href="javascript:window.__openrcmXss=1">click</a>',
  '<iframe src="javascript:window.__openrcmXss=1"></iframe>',
  "<body onload=window.__openrcmXss=1>",
  "<details open ontoggle=window.__openrcmXss=1>",
  "<math><mtext><table><mglyph><style><img src=x onerror=window.__openrcmXss=1>",
  "&lt;script&gt;window.__openrcmXss=1&lt;/script&gt;",
  "{{constructor.constructor('window.__openrcmXss=1')()}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the payload is a template placeholder, as text.
  "${window.__openrcmXss=1}",
  "\u0000<script>window.__openrcmXss=1</script>",
  "<style>*{display:none}</style>"
]

/** Fails when a payload became markup: an element the payload names, an inline handler, or a side effect. */
export const assertRenderedAsText = (container: HTMLElement): void => {
  const injected = container.querySelector("script, img[src='x'], svg[onload], iframe, details[ontoggle], style, math")
  if (injected !== null) throw new Error(`a payload became a <${injected.tagName.toLowerCase()}> element`)
  for (const element of Array.from(container.querySelectorAll("*"))) {
    for (const attribute of Array.from(element.attributes)) {
      if (/^on/i.test(attribute.name)) throw new Error(`a payload became an ${attribute.name} attribute`)
      if (/^\s*javascript:/i.test(attribute.value) && (attribute.name === "href" || attribute.name === "src"))
        throw new Error(`a payload became a javascript: ${attribute.name}`)
    }
  }
  if ((globalThis as { __openrcmXss?: unknown }).__openrcmXss !== undefined) throw new Error("a payload ran")
}
