# Exact posterior of eight_schools.ppl by quadrature over (mu, tau) (theta | mu, tau, y is Gaussian), compared with
# the summary.csv of each ppl fit output folder given: python3 examples/accuracy/eight_schools_reference.py out/eight_schools
import json, math, csv, sys
import os; ex=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..') + '/'
def summary(path):
    return {r['name']:(float(r['mean']),float(r['sd'])) for r in csv.DictReader(open(path))}
# eight schools: exact by quadrature over (mu, tau); theta | mu, tau, y is Gaussian
d=json.load(open(ex+'eight_schools/eight_schools.data.json')); y=d['y']; s=d['sigma']; J=len(y)
mus=[-20+40*i/400 for i in range(401)]; taus=[(i+0.5)*60/1200 for i in range(1200)]
acc={}
W=0
def add(k,w,m,v):
    a=acc.setdefault(k,[0,0]); a[0]+=w*m; a[1]+=w*(v+m*m)
for tau in taus:
    lt=math.log(2/(math.pi*5*(1+(tau/5)**2)))
    for mu in mus:
        lp=lt-0.5*(mu/5)**2
        for j in range(J):
            v=s[j]**2+tau**2; lp+=-0.5*math.log(v)-0.5*(y[j]-mu)**2/v
        w=math.exp(lp+40); W+=w
        add('mu',w,mu,0); add('tau',w,tau,0)
        for j in range(J):
            prec=1/s[j]**2+1/tau**2; m=(y[j]/s[j]**2+mu/tau**2)/prec
            add(f'theta[{j}]',w,m,1/prec)
ref={k:(a[0]/W, math.sqrt(a[1]/W-(a[0]/W)**2)) for k,a in acc.items()}
def compare(name, ref, fit):
    worst=(0,None); worstm=(0,None)
    for k,(m,sd) in ref.items():
        fm,fs=fit[k]; e=abs(fs-sd)/sd; em=abs(fm-m)/sd
        print(f'{name} {k:10s} ref {m:8.3f} ({sd:6.3f})  fit {fm:8.3f} ({fs:6.3f})  mean err {em:5.2f} sd  sd err {100*e:5.1f}%')
        worst=max(worst,(e,k)); worstm=max(worstm,(em,k))
    print(f'{name}: largest sd error {100*worst[0]:.1f}% ({worst[1]}), largest mean error {worstm[0]:.2f} posterior sd ({worstm[1]})')
for g in sys.argv[1:]:
    compare('eight_schools/'+g.split('/')[-1], ref, summary(g+'/summary.csv'))
