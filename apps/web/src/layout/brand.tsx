/** The product name is a brand, not a translation: both names show in either language. */
export function Brand({ compact = false }: { compact?: boolean }) {
  return (
    <span className="brand">
      <img className="brand-mark" src="/favicon.svg" alt="" width={28} height={28} />
      <span className="brand-name" lang="zh-CN">
        接力
      </span>
      {!compact && (
        <span className="brand-latin" lang="en">
          Baton
        </span>
      )}
    </span>
  );
}
