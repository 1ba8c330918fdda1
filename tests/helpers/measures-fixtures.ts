// Hand-made files of kinds 5–8 (training centres, stays, job posts, policy
// delivery) for the medium tests: a handful of rows at the spec's boundaries.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as iconv from 'iconv-lite';
import { makeIdNumber } from '../../backend/src/ledger/id-number';

export const P1 = makeIdNumber('220102', '20000101', 11);
export const P2 = makeIdNumber('220184', '19990505', 22);
export const P3 = makeIdNumber('220581', '20010909', 33);
export const P4 = makeIdNumber('220202', '20000606', 44);

export const CENTRE_HEADER = '中心编号,中心名称,县区代码,挂牌日期,容纳人数';
export const STAY_HEADER = '进驻编号,身份证号,中心编号,进驻日期,生活补助,退出日期,退出方式';
export const POST_HEADER = '岗位编号,地区代码,岗位来源,用人单位,岗位名称,开发日期,岗位数,发布日期,已招用毕业生';
export const GRANT_HEADER = '记录编号,身份证号,政策类型,金额,受理日期,办结日期,申办方式,县区代码,用人单位';

export function csv(header: string, rows: string[]): string {
  return '\ufeff' + [header, ...rows].join('\r\n') + '\r\n';
}

export function writeFile(dir: string, name: string, text: string, encoding: 'utf-8' | 'gb18030' = 'utf-8'): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, encoding === 'gb18030' ? iconv.encode(text.replace(/^\ufeff/, ''), 'gb18030') : text);
  return p;
}

/** Week 1: every kind, with good rows at the boundaries and one bad row per reject reason. */
export const CENTRES_1 = [
  'C01,朝阳区高校毕业生实训中心,220102,2022-07-10,50',
  'C02,公主岭市实训中心,220381,2022-08-01,30',
  'C03,梅河口市实训中心,220581,2022-09-01,',
  'C90,长春市实训中心,220100,2022-07-10,20',
  'C91,空中心,220102,2022-07-10,0',
  'C92,,220102,2022-07-10,10',
];
export const STAYS_1 = [
  `S01,${P1},C01,2022-07-15,1500.50,2022-08-10,岗位匹配`,
  `S02,${P2},C02,2022-08-05,800,,`,
  `S03,${P3},C03,2022-09-05,0.01,2022-09-05,其他`,
  `S04,${P1},C01,2022-09-01,200.25,,`,
  `S05,${P4},C04,2022-07-25,1000,,`,
  `S06,${P2},C02,2022-08-20,300,,`,
  `S90,${P3},C03,2022-09-05,,2022-09-04,其他`,
  `S91,${P3},C03,2022-09-05,,2022-09-10,`,
  `S92,${P3},C03,2022-09-05,-5,,`,
  `S93,${P3},C03,2022-09-05,1.234,,`,
  `S94,${P3.slice(0, 17)}${P3[17] === '1' ? '2' : '1'},C03,2022-09-05,,,`,
  `S95,${P3},C03,2022-09-05,,2022-09-10,跳槽`,
];
export const POSTS_1 = [
  'G01,220102,重点企业,中国一汽,技术员,2022-07-05,10,2022-07-07,3',
  'G02,220100,事业单位招聘,,,2022-07-20,5,,',
  'G03,220381,三支一扶,,,2022-08-01,2,2022-08-10,2',
  'G04,220581,专精特新企业,,,2022-09-10,4,2022-09-12,0',
  'G90,220102,重点企业,,,2022-07-05,10,,11',
  'G91,220102,重点企业,,,2022-07-05,0,,',
  'G92,220102,外资企业,,,2022-07-05,3,,',
  'G93,229999,重点企业,,,2022-07-05,3,,',
];
export const GRANTS_1 = [
  `Z01,${P1},一次性扩岗补助,1500.10,2022-07-20,2022-07-25,网上申办,220102,中国一汽`,
  `Z02,${P1},创业担保贷款,300000,2022-08-01,2022-08-20,窗口办理,220102,`,
  `Z03,${P2},社会保险补贴,"1,234.56",2022-08-10,,主动发现,220184,`,
  `Z04,${P3},初创补贴,5000.05,2022-09-01,2022-09-01,主动发现,220581,`,
  `Z05,${P4},职业技能培训补贴,0.30,2022-07-01,2022-07-02,,220202,`,
  `Z90,${P3},初创补贴,100,2022-09-02,2022-09-01,网上申办,220581,`,
  `Z91,${P3},初创补贴,-100,2022-09-02,,,220581,`,
  `Z92,${P3},初创补贴,100,2022-09-02,,,220200,`,
  `Z93,${P3},初创补贴,12.345,2022-09-02,,,220581,`,
];
/** Week 2: the centre of S05 arrives, S06 is re-sent with its exit, Z03 is granted. */
export const CENTRES_2 = ['C04,船营区实训中心,220204,2022-07-20,40'];
export const STAYS_2 = [`S06,${P2},C02,2022-08-20,300,2022-10-01,见习留用`];
export const GRANTS_2 = [`Z03,${P2},社会保险补贴,1234.56,2022-08-10,2022-10-08,主动发现,220184,`];
