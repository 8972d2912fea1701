// Debian's Chromium, as every browser test and the Storybook runner launch it. No tool may download a browser.
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

// Without the networking flags Chromium floods the closed network with refused connections.
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage"
]
