import type { ComponentPropsWithoutRef, CSSProperties } from "react"

/** The kit's design tokens, without their `--openrcm-` prefix (see `styles/theme.css`). */
export type Token =
  | "font-family"
  | "font-size"
  | "font-size-small"
  | "font-size-large"
  | "font-mono"
  | "color-background"
  | "color-surface"
  | "color-text"
  | "color-muted"
  | "color-border"
  | "color-accent"
  | "color-accent-text"
  | "color-danger"
  | "color-danger-surface"
  | "color-warning"
  | "color-warning-surface"
  | "color-success"
  | "color-success-surface"
  | "color-focus"
  | "chart-1"
  | "chart-2"
  | "chart-3"
  | "chart-4"
  | "chart-5"
  | "radius"
  | "space"
  | "shadow"

export interface ThemeScopeProps extends ComponentPropsWithoutRef<"div"> {
  /** A theme of theme.css (`default`, `dark`, `river`, `summit`) or the host's own `[data-openrcm-theme]`. */
  readonly theme?: string | undefined
  /** Token values for this scope only: a tenant's brand chosen at run time. */
  readonly tokens?: Partial<Record<Token, string>> | undefined
}

/** The custom properties for a set of token values, as a React style. */
export const tokenStyle = (tokens: Partial<Record<Token, string>>): CSSProperties =>
  Object.fromEntries(Object.entries(tokens).map(([name, value]) => [`--openrcm-${name}`, value])) as CSSProperties

/**
 * A region of the page with its own theme and token values, e.g. one tenant's brand in a multi-tenant host.
 * Scopes nest; the nearest wins.
 */
export function ThemeScope({ theme = "default", tokens, style, className, ...props }: ThemeScopeProps) {
  return (
    <div
      data-openrcm-theme={theme}
      className={className ? `openrcm-scope ${className}` : "openrcm-scope"}
      style={tokens ? { ...tokenStyle(tokens), ...style } : style}
      {...props}
    />
  )
}
