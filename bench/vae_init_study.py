"""The initialisation study of issue 11: ../shared/bench/torch_vae.py's VAE (784-400-20, Bernoulli pixels, Adam 1e-3,
batch 128, optionally K planar flows) with a choice of weight initialisation, trained in PyTorch on one core, printing
the test-set ELBO (nats per image) after each epoch on one line:
  RESULT init=... pinit=... flows=K scale=... analytic=0|1 seed=S  E1 E2 E3

By default it mirrors examples/vae/vae.ppl rather than torch_vae.py: one 400 -> 40 encoder head (20 means, 20
pre-scales), scale = softplus(pre-scale), analytic KL when there is no flow (--scale logvar --analytic 0 gives
torch_vae.py's parametrisation). --init picks the weights (every scheme but torch/pplb has zero biases):
  torch    nn.Linear's default, W and b ~ U(+-1/sqrt(fan_in))
  torchw0  the same weights, zero biases
  ppl      ppl before issue 11: Kaiming-normal N(0, 2/fan_in) on layers feeding a ReLU, Xavier-uniform on the heads
  pplb     ppl's weights with torch's biases
  kaimu    Kaiming-uniform U(+-sqrt(6/fan_in)) on ReLU layers, Xavier on the heads
  lecun    LeCun-normal N(0, 1/fan_in) everywhere
  lecunu   LeCun-uniform U(+-sqrt(3/fan_in)) everywhere
  kaimfo   Kaiming-normal on ReLU layers, LeCun-normal on the heads
  kaimsm   Kaiming-normal on ReLU layers, U(+-1/sqrt(fan_in)) on the heads (ppl's Mlp since issue 11)
--planar-init: torch (u, w ~ N(0, 0.01^2), b = 0, as torch_vae.py) or ppl (u, w, b ~ U(+-1/sqrt(D)), as Runtime/Flows/Planar.cs).

usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/vae_init_study.py [--init I] [--flows 8 --planar-init P] [--seed S] [--epochs 3]
"""
import argparse, gzip, struct, time, math
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

ROOT = "/usr/share/datasets/fashion-mnist/"

def idx(path):
    with gzip.open(path, "rb") as f:
        magic, n = struct.unpack(">II", f.read(8))
        rows, cols = struct.unpack(">II", f.read(8))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(n, rows * cols)

class Planar(nn.Module):
    def __init__(self, d, init):
        super().__init__()
        if init == "ppl":
            a = 1 / math.sqrt(d)
            self.u = nn.Parameter(torch.empty(d).uniform_(-a, a)); self.w = nn.Parameter(torch.empty(d).uniform_(-a, a)); self.b = nn.Parameter(torch.empty(1).uniform_(-a, a))
        else:
            self.u = nn.Parameter(torch.randn(d) * 0.01); self.w = nn.Parameter(torch.randn(d) * 0.01); self.b = nn.Parameter(torch.zeros(1))
    def forward(self, z):
        wu = self.w @ self.u
        u = self.u + (F.softplus(wu) - 1 - wu) * self.w / (self.w @ self.w)
        a = torch.tanh(z @ self.w + self.b)
        z = z + u * a.unsqueeze(-1)
        psi = (1 - a ** 2).unsqueeze(-1) * self.w
        return z, torch.log(torch.abs(1 + psi @ u) + 1e-8)

def init_linear(l, scheme, relu_next):
    fi, fo = l.in_features, l.out_features
    with torch.no_grad():
        if scheme == "torch":
            return  # nn.Linear default: W ~ U(±1/sqrt(fi)) (kaiming_uniform a=sqrt5), b ~ U(±1/sqrt(fi))
        if scheme == "torchw0":
            l.bias.zero_(); return
        if scheme in ("ppl", "pplb"):
            if relu_next: l.weight.normal_(0, math.sqrt(2 / fi))
            else: a = math.sqrt(6 / (fi + fo)); l.weight.uniform_(-a, a)
            if scheme == "ppl": l.bias.zero_()
            else: b = 1 / math.sqrt(fi); l.bias.uniform_(-b, b)
            return
        if scheme == "kaimu":  # Kaiming-uniform (gain sqrt2) on relu layers, Xavier otherwise, zero bias
            if relu_next: a = math.sqrt(6 / fi)
            else: a = math.sqrt(6 / (fi + fo))
            l.weight.uniform_(-a, a); l.bias.zero_(); return
        if scheme == "lecun":  # N(0, 1/fi) everywhere, zero bias
            l.weight.normal_(0, math.sqrt(1 / fi)); l.bias.zero_(); return
        if scheme == "lecunu":  # U(±sqrt(3/fi)) = var 1/fi, zero bias
            a = math.sqrt(3 / fi); l.weight.uniform_(-a, a); l.bias.zero_(); return
        if scheme == "kaimfo":  # relu layers Kaiming-normal, output layers LeCun-normal N(0,1/fi)
            l.weight.normal_(0, math.sqrt((2 if relu_next else 1) / fi)); l.bias.zero_(); return
        if scheme == "kaimsm":  # relu layers Kaiming-normal, output layers torch's U(±1/sqrt fi); zero bias
            if relu_next: l.weight.normal_(0, math.sqrt(2 / fi))
            else: a = 1 / math.sqrt(fi); l.weight.uniform_(-a, a)
            l.bias.zero_(); return
        raise SystemExit("unknown init " + scheme)

class VAE(nn.Module):
    def __init__(self, a, h=400, d=20):
        super().__init__()
        self.a, self.d = a, d
        self.e1, self.eh = nn.Linear(784, h), nn.Linear(h, 2 * d)
        self.d1, self.d2 = nn.Linear(d, h), nn.Linear(h, 784)
        for l, r in ((self.e1, True), (self.eh, False), (self.d1, True), (self.d2, False)):
            init_linear(l, a.init, r)
        self.flows = nn.ModuleList([Planar(d, a.planar_init) for _ in range(a.flows)])

    def elbo(self, x):
        d = self.d
        hh = self.eh(F.relu(self.e1(x)))
        mu, pre = hh[:, :d], hh[:, d:]
        if self.a.scale == "softplus":
            std = F.softplus(pre); logstd = torch.log(std)
        else:
            logstd = 0.5 * pre; std = torch.exp(logstd)
        eps = torch.randn_like(std)
        z0 = mu + std * eps
        z = z0
        if self.flows or not self.a.analytic:
            logq = (-0.5 * eps ** 2 - 0.5 * math.log(2 * math.pi) - logstd).sum(-1)
            for f in self.flows:
                z, ld = f(z)
                logq = logq - ld
            kl = logq - (-0.5 * z ** 2 - 0.5 * math.log(2 * math.pi)).sum(-1)
        else:
            kl = (0.5 * (mu ** 2 + std ** 2 - 1) - logstd).sum(-1)
        logits = self.d2(F.relu(self.d1(z)))
        ll = -F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(-1)
        return ll - kl

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--flows", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", default="torch")
    ap.add_argument("--planar-init", default="torch")
    ap.add_argument("--scale", default="softplus")
    ap.add_argument("--analytic", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr = torch.from_numpy(idx(ROOT + "train-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    xte = torch.from_numpy(idx(ROOT + "t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    m = VAE(a)
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    res = []
    for ep in range(a.epochs):
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 128):
            x = xtr[perm[i : i + 128]]
            loss = -m.elbo(x).mean()
            opt.zero_grad(); loss.backward(); opt.step()
        with torch.no_grad():
            te = torch.cat([m.elbo(xte[i : i + 1000]) for i in range(0, len(xte), 1000)]).mean().item()
        res.append(te)
    print(f"RESULT init={a.init} pinit={a.planar_init} flows={a.flows} scale={a.scale} analytic={a.analytic} seed={a.seed} " + " ".join(f"{v:.2f}" for v in res), flush=True)

if __name__ == "__main__":
    main()
