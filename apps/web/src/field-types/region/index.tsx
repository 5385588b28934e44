import { EnvironmentOutlined } from '@ant-design/icons';
import { Cascader } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { asIds, numberConfig, ReadValue } from '../shared.tsx';
import { loadDistricts, provinces, type RegionNode, regionNames } from './data.ts';

type CascaderOption = { value: string; label: string; isLeaf?: boolean; children?: CascaderOption[] };

function useDistricts(needed: boolean) {
  const [map, setMap] = useState<ReadonlyMap<string, RegionNode[]>>();
  useEffect(() => {
    if (!needed) return;
    let alive = true;
    void loadDistricts().then((loaded) => alive && setMap(loaded));
    return () => {
      alive = false;
    };
  }, [needed]);
  return map;
}

/** 省/市/区 as a list of 6-digit GB/T 2260 codes, province first, up to `levels` of them. */
function RegionWidget({ field, value, onChange, mode, id, invalid, ctx }: WidgetProps) {
  const levels = numberConfig(field, 'levels') ?? 3;
  const codes = asIds(value);
  const districts = useDistricts(levels >= 3 && (mode === 'edit' || codes.length >= 3));
  const options = useMemo<CascaderOption[]>(
    () =>
      provinces.map((province) => ({
        value: province.code,
        label: province.name,
        isLeaf: levels < 2 || province.children.length === 0,
        children:
          levels < 2
            ? undefined
            : province.children.map((city) => {
                const children = levels >= 3 ? districts?.get(city.code) : undefined;
                return {
                  value: city.code,
                  label: city.name,
                  isLeaf: levels < 3 || (districts !== undefined && !children?.length),
                  children: children?.map((d) => ({ value: d.code, label: d.name, isLeaf: true })),
                };
              }),
      })),
    [levels, districts],
  );
  if (mode === 'read') return <ReadValue>{codes.length ? regionNames(codes, districts).join(' ') : ''}</ReadValue>;
  return (
    <Cascader
      id={id}
      className="field-select"
      options={options}
      value={codes}
      changeOnSelect
      showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input)) }}
      placeholder={ctx.t('fieldType.chooseRegion')}
      onChange={(next) => onChange(Array.isArray(next) && next.length ? next.map(String) : null)}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}

export const regionWebField = defineWebFieldType({
  type: 'region',
  Widget: RegionWidget,
  semantics: () => ({ exprType: null }),
  design: {
    label: { zh: '省市区', en: 'Region' },
    icon: <EnvironmentOutlined aria-hidden />,
    group: 'advanced',
    settings: [
      {
        kind: 'choice',
        name: 'levels',
        label: { zh: '精确到', en: 'Down to' },
        choices: [
          { value: 1, label: { zh: '省', en: 'Province' } },
          { value: 2, label: { zh: '市', en: 'City' } },
          { value: 3, label: { zh: '区县', en: 'District' } },
        ],
      },
    ],
    staticDefault: false,
  },
});
